using Microsoft.Extensions.Options;
using ModelGateway.Cost;

namespace ModelGateway.Tests.Cost;

public class ModelPriceResolverTests
{
    private static readonly BuiltInPriceTable Table = new(new PriceTableDocument
    {
        Providers =
        {
            ["openai"] = new PriceTableProvider { Models = { ["gpt-x"] = new PriceTableModel { Input = 1, Output = 2, ContextWindow = 1000 } } },
        },
    });

    [Fact]
    public void Resolve_DeploymentPrice_WinsOverEverything()
    {
        ModelPriceResolver resolver = Create(o => o.Pricing["gpt-x"] = new ModelPrice { InputPerMillion = 5 });
        var own = new ModelPrice { InputPerMillion = 9 };

        Assert.Same(own, resolver.Resolve("oa", "gpt-x", own));
    }

    [Fact]
    public void Resolve_ProviderPrefixedConfiguredPrice_WinsOverModelOnlyPrice()
    {
        ModelPriceResolver resolver = Create(o =>
        {
            o.Pricing["gpt-x"] = new ModelPrice { InputPerMillion = 5 };
            o.Pricing["oa/gpt-x"] = new ModelPrice { InputPerMillion = 7 };
        });

        Assert.Equal(7, resolver.Resolve("oa", "gpt-x")!.InputPerMillion);
        Assert.Equal(5, resolver.Resolve("other", "gpt-x")!.InputPerMillion);
    }

    [Fact]
    public void Resolve_NothingConfigured_UsesTheBuiltInTableOfTheProvidersType_WithDatedSnapshots()
    {
        ModelPriceResolver resolver = Create(_ => { });

        Assert.Equal(1, resolver.Resolve("oa", "gpt-x-2025-01-31")!.InputPerMillion);
        Assert.Equal(1000, resolver.BuiltIn("oa", "gpt-x")!.ContextWindow);
    }

    [Fact]
    public void Resolve_AzureDeploymentOfAnOpenAIModel_IsNotPricedFromOpenAIsList()
    {
        ModelPriceResolver resolver = Create(_ => { });

        Assert.Null(resolver.Resolve("az", "gpt-x"));
    }

    [Fact]
    public void EmbeddedTable_Loads_AndEveryPriceIsNonNegativeWithASourceAndDate()
    {
        var table = new BuiltInPriceTable();

        Assert.NotEmpty(table.ProviderTypes);
        Assert.NotNull(table.Updated);
        foreach (string type in table.ProviderTypes)
        {
            Assert.True(table.TryGet(type, "__none__", out _) is false);
        }

        using Stream stream = typeof(BuiltInPriceTable).Assembly.GetManifestResourceStream(CostDefaults.PriceTableResource)!;
        PriceTableDocument document = System.Text.Json.JsonSerializer.Deserialize(stream, PriceTableJsonContext.Default.PriceTableDocument)!;
        foreach ((string type, PriceTableProvider provider) in document.Providers)
        {
            Assert.False(string.IsNullOrEmpty(provider.Source), $"{type} has no source");
            Assert.True(DateOnly.TryParse(provider.Checked, out _), $"{type} has no date");
            foreach ((string model, PriceTableModel entry) in provider.Models)
            {
                Assert.True(entry.Input >= 0 && entry.Output >= 0, $"{type}/{model} lacks an input or output price");
                Assert.True(entry.CachedInput is null || entry.CachedInput <= entry.Input, $"{type}/{model} cached input costs more than input");
            }
        }
    }

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", 3, 15)]
    [InlineData("anthropic", "claude-haiku-4-5@20251001", 1, 5)]
    [InlineData("openai", "gpt-5-nano-2025-08-07", 0.05, 0.40)]
    public void EmbeddedTable_FindsPublishedPrices_ForDatedModelIds(string type, string model, double input, double output)
    {
        Assert.True(new BuiltInPriceTable().TryGet(type, model, out BuiltInModelInfo info));
        Assert.Equal((decimal)input, info.Price.InputPerMillion);
        Assert.Equal((decimal)output, info.Price.OutputPerMillion);
    }

    [Theory]
    [InlineData("openai", "gpt-5-mini-2025-08-07", 0.25, 0.025, null, 2.00, 400000, 128000)]
    [InlineData("openai", "gpt-5.1-2025-11-13", 1.25, 0.125, null, 10.00, 400000, 128000)]
    [InlineData("openai", "gpt-5.6-luna", 0.20, 0.02, 0.25, 1.20, 1050000, 128000)]
    [InlineData("xai", "grok-4.20", 1.25, 0.20, null, 2.50, 1000000, null)]
    [InlineData("xai", "grok-4.20-0309-reasoning", 1.25, 0.20, null, 2.50, 1000000, null)]
    [InlineData("xai", "grok-4-fast-non-reasoning-latest", 0.20, 0.05, null, 0.50, 2000000, null)]
    [InlineData("xai", "grok-4.5", 2.00, null, null, 6.00, null, null)]
    [InlineData("cohere", "command-a-03-2025", 2.50, null, null, 10.00, 256000, 8000)]
    [InlineData("fireworks", "accounts/fireworks/models/gpt-oss-120b", 0.15, 0.015, null, 0.60, null, null)]
    public void EmbeddedTable_HasEachProvidersPublishedPriceAndLimits_UnderTheIdUsersWrite(
        string type, string model, double input, double? cachedInput, double? cacheWrite, double output, int? contextWindow, int? maxOutputTokens)
    {
        Assert.True(new BuiltInPriceTable().TryGet(type, model, out BuiltInModelInfo info), $"{type}/{model} is not in the table");

        Assert.Equal((decimal)input, info.Price.InputPerMillion);
        Assert.Equal((decimal?)cachedInput, info.Price.CachedInputPerMillion);
        Assert.Equal((decimal?)cacheWrite, info.Price.CacheWritePerMillion);
        Assert.Equal((decimal)output, info.Price.OutputPerMillion);
        Assert.Equal(contextWindow, info.ContextWindow);
        Assert.Equal(maxOutputTokens, info.MaxOutputTokens);
        Assert.False(string.IsNullOrEmpty(info.Source));
    }

    [Fact]
    public void EmbeddedTable_OpenAICompatiblePreset_IsPricedUnderItsOwnType_NotUnderOpenAIsOrAnother()
    {
        var table = new BuiltInPriceTable();

        Assert.True(table.TryGet("xai", "grok-4.20", out _));
        Assert.False(table.TryGet("openai", "grok-4.20", out _));
        Assert.False(table.TryGet("openrouter", "openai/gpt-5-mini", out _));
    }

    private static ModelPriceResolver Create(Action<ModelGatewayOptions> configure)
    {
        var options = new ModelGatewayOptions();
        options.Providers["oa"] = new ProviderOptions { Type = "openai" };
        options.Providers["other"] = new ProviderOptions { Type = "openai" };
        options.Providers["az"] = new ProviderOptions { Type = "azure-openai" };
        configure(options);
        return new ModelPriceResolver(Options.Create(options), Table);
    }
}
