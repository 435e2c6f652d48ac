using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelGateway.Cost;
using ModelGateway.Gateway;
using ModelGateway.Routing;
using ModelGateway.Tests.TestUtilities;
using ModelGateway.Testing;

namespace ModelGateway.Tests.Cost;

public class CostTaggingTests
{
    // $1,000 per million tokens each way: one token costs a tenth of a cent.
    private const string Config = """
        { "ModelGateway": { "DefaultModel": "chat",
          "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
          "Pricing": { "b/mb": { "InputPerMillion": 1000, "OutputPerMillion": 3000 } },
          "Models": {
            "chat": { "Routing": "Priority", "Deployments": [
              { "Provider": "a", "Model": "ma", "Pricing": { "InputPerMillion": 1000, "OutputPerMillion": 2000, "CachedInputPerMillion": 100 } },
              { "Provider": "b", "Model": "mb" } ] },
            "unpriced": { "Deployments": [ { "Provider": "a", "Model": "nothing-known" } ] } },
          "Resilience": { "BaseDelay": "00:00:00", "MaxDelay": "00:00:00" } } }
        """;

    [Fact]
    public async Task Response_CostIsUsageTimesTheDeploymentsPrice()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 10, CachedInputTokenCount = 4, OutputTokenCount = 5 };

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        // 6 × $1,000 + 4 × $100 + 5 × $2,000 = $16,400 per million.
        Assert.Equal(0.0164m, response.GetGatewayInfo()!.CostUsd);
    }

    [Fact]
    public async Task Stream_CostArrivesOnTheFinalUpdate()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 };
        gateway.Fakes["a"].RespondStreaming("x", "y");

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.Equal(0.02m, updates.ToChatResponse().GetGatewayInfo()!.CostUsd);
    }

    [Fact]
    public async Task Fallback_CostIsTheAnsweringDeploymentsConfiguredPrice()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable, 503);
        gateway.Fakes["b"].Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 };

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        // The failed attempt reported no usage, so it adds nothing; b is priced from Pricing["b/mb"].
        Assert.Equal(0.04m, response.GetGatewayInfo()!.CostUsd);
    }

    [Fact]
    public async Task UnpricedModel_CostIsNull_AndItsTokensAreStillCounted()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 };

        ChatResponse response = await gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "unpriced" });

        Assert.Null(response.GetGatewayInfo()!.CostUsd);
        SpendSummary spend = gateway.Gateway.GetSpend(SpendDimension.Model, "unpriced", time.GetUtcNow().AddDays(-1), time.GetUtcNow().AddDays(1));
        Assert.Equal(new SpendSummary(0, 10, 0, 5, 1, 1), spend);
    }

    [Fact]
    public async Task AnswerWithoutUsage_CostIsNull()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Null(response.GetGatewayInfo()!.CostUsd);
    }

    [Fact]
    public void FailedAttemptThatUsedTokens_IsCharged_AndTheRequestCostIsTheSumOfItsAttempts()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        CostObserver observer = gateway.Services.GetServices<AttemptObserver>().OfType<CostObserver>().Single();
        var runtime = gateway.Services.GetRequiredService<GatewayRuntime>();
        Assert.True(runtime.Table.TryGetGroup("chat", out ModelGroup group));
        var context = new GatewayRequestContext(group, 0, isStreaming: true) { User = "u1" };
        var error = new ProviderException(ProviderErrorKind.InvalidResponse, "cut off");

        // A stream that broke off after 10 input and 4 output tokens, then a fallback that answered.
        observer.OnAttemptCompleted(context, new AttemptInfo(group, group.Deployments[0], 1, TimeSpan.Zero), null,
            new AttemptOutcome(TimeSpan.Zero, time.GetUtcNow(), new UsageDetails { InputTokenCount = 10, OutputTokenCount = 4 }, null, null, null, error, false, null));
        observer.OnAttemptCompleted(context, new AttemptInfo(group, group.Deployments[1], 2, TimeSpan.Zero), null,
            new AttemptOutcome(TimeSpan.Zero, time.GetUtcNow(), new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 }, null, null, null, null, false, null));

        // (10 × $1,000 + 4 × $2,000) + (10 × $1,000 + 10 × $3,000) = $58,000 per million.
        Assert.Equal(0.058m, context.CostUsd);
        SpendSummary spend = gateway.Gateway.GetSpend(SpendDimension.User, "u1", time.GetUtcNow().AddHours(-1), time.GetUtcNow().AddHours(1));
        Assert.Equal(new SpendSummary(0.058m, 20, 0, 14, 1, 0), spend);
    }
}
