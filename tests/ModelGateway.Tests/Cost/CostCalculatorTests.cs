using Microsoft.Extensions.AI;
using ModelGateway.Cost;
using ModelGateway.Providers.Anthropic;
using ModelGateway.Providers.Gemini;
using ModelGateway.Providers.OpenAI;
using ModelGateway.Providers.OpenAI.Wire;

namespace ModelGateway.Tests.Cost;

/// <summary>Each provider's usage, through its own mapper, priced and checked against a hand-computed value.</summary>
public class CostCalculatorTests
{
    [Fact]
    public void OpenAI_CachedAndReasoningTokens_CachedAtTheCachedRateAndReasoningAsOutput()
    {
        // prompt_tokens includes cached_tokens; completion_tokens includes reasoning_tokens.
        UsageDetails usage = OpenAIResponseMapper.ToUsage(new WireUsage
        {
            PromptTokens = 1_000,
            CompletionTokens = 500,
            PromptTokensDetails = new WirePromptTokensDetails { CachedTokens = 400 },
            CompletionTokensDetails = new WireCompletionTokensDetails { ReasoningTokens = 200 },
        });
        var price = new ModelPrice { InputPerMillion = 2.00m, CachedInputPerMillion = 0.50m, OutputPerMillion = 8.00m };

        decimal? cost = CostCalculator.Compute(usage, price);

        // 600 × $2 + 400 × $0.50 + 500 × $8 = $5,400 per million.
        Assert.Equal(0.0054m, cost);
    }

    [Fact]
    public void Anthropic_CacheReadsAndWrites_EachAtTheirOwnRate()
    {
        // Anthropic's input_tokens excludes both cache counts; the mapper folds them into InputTokenCount.
        UsageDetails usage = AnthropicResponseMapper.ToUsage(new AnthropicUsage
        {
            InputTokens = 100,
            CacheReadInputTokens = 2_000,
            CacheCreationInputTokens = 1_000,
            OutputTokens = 300,
        });
        var price = new ModelPrice { InputPerMillion = 3m, CachedInputPerMillion = 0.30m, CacheWritePerMillion = 3.75m, OutputPerMillion = 15m };

        decimal? cost = CostCalculator.Compute(usage, price);

        // 100 × $3 + 2,000 × $0.30 + 1,000 × $3.75 + 300 × $15 = $9,150 per million.
        Assert.Equal(0.00915m, cost);
    }

    [Fact]
    public void Gemini_CachedContentAndThoughts_CachedAtTheCachedRateAndThoughtsAsOutput()
    {
        // cachedContentTokenCount is inside promptTokenCount; thoughtsTokenCount is not inside candidatesTokenCount.
        UsageDetails usage = GeminiResponseMapper.ToUsage(new GeminiUsageMetadata
        {
            PromptTokenCount = 1_000,
            CachedContentTokenCount = 600,
            CandidatesTokenCount = 200,
            ThoughtsTokenCount = 300,
            TotalTokenCount = 1_500,
        });
        var price = new ModelPrice { InputPerMillion = 1.25m, CachedInputPerMillion = 0.125m, OutputPerMillion = 10m };

        decimal? cost = CostCalculator.Compute(usage, price);

        // 400 × $1.25 + 600 × $0.125 + (200 + 300) × $10 = $5,575 per million.
        Assert.Equal(0.005575m, cost);
    }

    [Fact]
    public void Cohere_PlainInputAndOutput()
    {
        var usage = new UsageDetails { InputTokenCount = 1_000, OutputTokenCount = 500, TotalTokenCount = 1_500 };
        var price = new ModelPrice { InputPerMillion = 2.50m, OutputPerMillion = 10m };

        Assert.Equal(0.0075m, CostCalculator.Compute(usage, price));
    }

    [Fact]
    public void NoCachedOrCacheWritePrice_ThoseTokensCostTheInputPrice()
    {
        var usage = new UsageDetails
        {
            InputTokenCount = 1_000,
            CachedInputTokenCount = 500,
            OutputTokenCount = 0,
            AdditionalCounts = new() { [CostDefaults.CacheCreationInputTokensKey] = 200 },
        };

        Assert.Equal(0.001m, CostCalculator.Compute(usage, new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 1m }));
    }

    [Fact]
    public void PriceWithoutOutputRate_UsageWithOutput_IsUnpricedNotGuessed()
    {
        var usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 };

        Assert.Null(CostCalculator.Compute(usage, new ModelPrice { InputPerMillion = 1m }));
    }

    [Theory]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("o3-2025-04-16", "o3")]
    [InlineData("model-2024", "model-2024")]
    public void WithoutDate_StripsSnapshotDates(string model, string expected) =>
        Assert.Equal(expected, BuiltInPriceTable.WithoutDate(model));
}
