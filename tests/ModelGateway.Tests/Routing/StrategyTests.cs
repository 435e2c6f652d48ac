using Microsoft.Extensions.AI;
using ModelGateway.Routing;
using ModelGateway.Testing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Routing;

public class StrategyTests
{
    private static readonly long Minute = MinuteUsage.MinuteOf(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks);

    [Fact]
    public void Priority_TakesTheFirstCandidateInListOrder()
    {
        (ModelGroup group, Deployment[] d) = Group(RoutingStrategy.Priority, 3);

        Assert.Equal(0, Select(group, d, [false, false, false]));
        Assert.Equal(1, Select(group, d, [true, false, false]));
        Assert.Equal(2, Select(group, d, [true, true, false]));
        Assert.Equal(-1, Select(group, d, [true, true, true]));
    }

    [Fact]
    public void LeastBusy_TakesTheDeploymentWithFewestCallsInFlight()
    {
        (ModelGroup group, Deployment[] d) = Group(RoutingStrategy.LeastBusy, 3);
        d[0].OnStart();
        d[0].OnStart();
        d[2].OnStart();

        Assert.Equal(1, Select(group, d));
        d[1].OnStart();
        d[1].OnStart();
        Assert.Equal(2, Select(group, d));
        d[0].OnSuccess();
        d[0].OnSuccess();
        Assert.Equal(0, Select(group, d));
    }

    [Fact]
    public void LowestLatency_MeasuresUnmeasuredFirst_ThenPrefersTheFastest_WithALittleExploration()
    {
        (ModelGroup group, Deployment[] d) = Group(RoutingStrategy.LowestLatency, 3);
        var random = new Random(7);
        d[0].ResponseLatency.Record(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, Select(group, d, random: new Random(1234))); // 1 was never measured
        d[1].ResponseLatency.Record(TimeSpan.FromMilliseconds(100));
        d[2].ResponseLatency.Record(TimeSpan.FromMilliseconds(200));

        int[] picks = new int[3];
        for (int i = 0; i < 2000; i++)
        {
            picks[Select(group, d, random: random)]++;
        }

        Assert.InRange(picks[1] / 2000.0, 0.95, 0.995);
        Assert.True(picks[0] > 0 && picks[2] > 0, "the slower deployments are still measured now and then");
    }

    [Fact]
    public void LowestLatency_RecoveredDeploymentWinsTrafficBack()
    {
        (ModelGroup group, Deployment[] d) = Group(RoutingStrategy.LowestLatency, 2);
        d[0].ResponseLatency.Record(TimeSpan.FromSeconds(5));
        d[1].ResponseLatency.Record(TimeSpan.FromMilliseconds(400));
        Assert.Equal(1, Select(group, d, random: new Random(1234)));

        for (int i = 0; i < 20; i++)
        {
            d[0].ResponseLatency.Record(TimeSpan.FromMilliseconds(100)); // what the exploration calls measure
        }

        Assert.Equal(0, Select(group, d, random: new Random(1234)));
    }

    [Fact]
    public void LowestLatency_ForStreams_UsesTimeToFirstChunk()
    {
        (ModelGroup group, Deployment[] d) = Group(RoutingStrategy.LowestLatency, 2);
        d[0].ResponseLatency.Record(TimeSpan.FromSeconds(1));
        d[1].ResponseLatency.Record(TimeSpan.FromSeconds(3));
        d[0].FirstChunkLatency.Record(TimeSpan.FromMilliseconds(900));
        d[1].FirstChunkLatency.Record(TimeSpan.FromMilliseconds(200));

        Assert.Equal(0, Select(group, d, random: new Random(1234)));
        Assert.Equal(1, Select(group, d, random: new Random(1234), streaming: true));
    }

    [Fact]
    public void LowestCost_PricesTheEstimatedInputAndExpectedOutput_AndNeverPrefersAnUnpricedDeployment()
    {
        var d = new[]
        {
            new Deployment("unpriced", "m", new FakeChatClient(), null),
            new Deployment("cheap-in", "m", new FakeChatClient(), null, pricing: new ModelPrice { InputPerMillion = 0.5m, OutputPerMillion = 4m }),
            new Deployment("cheap-out", "m", new FakeChatClient(), null, pricing: new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m }),
        };
        var group = new ModelGroup("chat", RoutingStrategy.LowestCost, d, new ModelGroupOptions());

        Assert.Equal(1, Select(group, d, input: 1000, output: 10));   // 500 + 40 < 1000 + 20
        Assert.Equal(2, Select(group, d, input: 1000, output: 1000)); // 1000 + 2000 < 500 + 4000
        Assert.Equal(0, Select(group, d, [false, true, true]));       // the only candidate left
    }

    [Fact]
    public void LowestCost_CostsTooCloseForDouble_AreOrderedExactly()
    {
        // 0.1 and 0.1 + 1e-20 are the same double: the faster double comparison must not decide these.
        var d = new[]
        {
            new Deployment("a", "m", new FakeChatClient(), null, pricing: new ModelPrice { InputPerMillion = 0.10000000000000000001m, OutputPerMillion = 0.4m }),
            new Deployment("b", "m", new FakeChatClient(), null, pricing: new ModelPrice { InputPerMillion = 0.1m, OutputPerMillion = 0.4m }),
            new Deployment("c", "m", new FakeChatClient(), null, pricing: new ModelPrice { InputPerMillion = 0.10000000000000000001m, OutputPerMillion = 0.4m }),
        };
        var group = new ModelGroup("chat", RoutingStrategy.LowestCost, d, new ModelGroupOptions());

        Assert.Equal(1, Select(group, d, input: 1000, output: 10));
        Assert.Equal(0, Select(group, d, [false, true, false], input: 1000, output: 10)); // an exact tie keeps list order
        Assert.Equal(2, Select(group, d, [true, true, false], input: 1000, output: 10));
    }

    [Fact]
    public void LeastBusy_ReadsInFlightAttempts()
    {
        (ModelGroup group, Deployment[] d) = Group(RoutingStrategy.LeastBusy, 3);
        d[0].OnStart();
        d[1].OnStart();
        d[1].OnStart();

        Assert.Equal(2, Select(group, d));
        d[2].OnStart();
        d[2].OnStart();
        Assert.Equal(0, Select(group, d));
    }

    [Fact]
    public async Task LowestCost_ResolvesPricesFromTheDeploymentOrTheTopLevelTable()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat",
              "Pricing": { "small-model": { "InputPerMillion": 0.15, "OutputPerMillion": 0.60 } },
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "LowestCost", "Deployments": [
                { "Provider": "a", "Model": "big-model", "Pricing": { "InputPerMillion": 2.5, "OutputPerMillion": 10 } },
                { "Provider": "b", "Model": "small-model" } ] } } } }
            """);

        for (int i = 0; i < 5; i++)
        {
            await gateway.Client.GetResponseAsync("hi");
        }

        Assert.Empty(gateway.Fakes["a"].Requests);
        Assert.Equal(5, gateway.Fakes["b"].Requests.Count);
    }

    [Fact]
    public async Task LowestCost_UsesTheSamePriceLookupAsCostAccounting_ProviderQualifiedKeysFirst()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat",
              "Pricing": { "shared-model": { "InputPerMillion": 1, "OutputPerMillion": 1 }, "b/shared-model": { "InputPerMillion": 0.1, "OutputPerMillion": 0.1 } },
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "LowestCost", "Deployments": [
                { "Provider": "a", "Model": "shared-model" }, { "Provider": "b", "Model": "shared-model" } ] } } } }
            """);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal("b", response.GetGatewayInfo()!.Provider);
    }

    [Fact]
    public void UsageBased_TakesTheLowestShareOfItsRpmOrTpmUsedThisMinute()
    {
        var d = new[]
        {
            new Deployment("x", "m", new FakeChatClient(), new DeploymentOptions { Rpm = 10 }),
            new Deployment("y", "m", new FakeChatClient(), new DeploymentOptions { Tpm = 1000 }),
        };
        var group = new ModelGroup("chat", RoutingStrategy.UsageBased, d, new ModelGroupOptions());
        d[0].Usage.AddRequest(Minute, 0);
        d[0].Usage.AddRequest(Minute, 0);     // 20% of Rpm
        d[1].Usage.AddRequest(Minute, 100);   // 10% of Tpm

        Assert.Equal(1, Select(group, d));
        d[1].Usage.AddTokens(Minute, 200);    // 30% of Tpm
        Assert.Equal(0, Select(group, d));
        Assert.Equal(0, d[1].Usage.Tokens(Minute + 1)); // a new minute starts from zero
    }

    [Fact]
    public void UsageBased_EqualSharesAreEqualExactly_ThenFewerTokensWin_EvenWithBillionsOfTokens()
    {
        var d = new[]
        {
            new Deployment("a", "m", new FakeChatClient(), new DeploymentOptions { Rpm = 3 }),
            new Deployment("b", "m", new FakeChatClient(), new DeploymentOptions { Rpm = 6, Tpm = 2_000_000_000 }),
            new Deployment("c", "m", new FakeChatClient(), new DeploymentOptions { Tpm = 9 }),
        };
        var group = new ModelGroup("chat", RoutingStrategy.UsageBased, d, new ModelGroupOptions());
        d[0].Usage.AddRequest(Minute, 50);   // 1/3 of Rpm
        d[1].Usage.AddRequest(Minute, 10);
        d[1].Usage.AddRequest(Minute, 0);    // 2/6 of Rpm: the same share, fewer tokens
        d[2].Usage.AddTokens(Minute, 3);     // 3/9 of Tpm: the same share again, fewer tokens still

        Assert.Equal(2, Select(group, d));
        Assert.Equal(1, Select(group, d, [false, false, true]));

        d[1].Usage.AddTokens(Minute, 5_000_000_000); // beyond 32 bits: 2.5 × Tpm, the largest share
        Assert.Equal(2, Select(group, d));
        Assert.Equal(0, Select(group, d, [false, false, true]));
    }

    [Fact]
    public void Weighted_ThreeWaySplitFollowsTheWeights()
    {
        var d = new[]
        {
            new Deployment("a", "m", new FakeChatClient(), new DeploymentOptions { Weight = 6 }),
            new Deployment("b", "m", new FakeChatClient(), new DeploymentOptions { Weight = 3 }),
            new Deployment("c", "m", new FakeChatClient(), new DeploymentOptions { Weight = 1 }),
        };
        var group = new ModelGroup("chat", RoutingStrategy.Weighted, d, new ModelGroupOptions());
        var random = new Random(99);
        int[] picks = new int[3];

        for (int i = 0; i < 30_000; i++)
        {
            picks[Select(group, d, random: random)]++;
        }

        Assert.InRange(picks[0] / 30_000.0, 0.58, 0.62);
        Assert.InRange(picks[1] / 30_000.0, 0.28, 0.32);
        Assert.InRange(picks[2] / 30_000.0, 0.09, 0.11);
    }

    [Fact]
    public async Task Strategy_SkipsACoolingDownDeployment()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "Cooldown": { "FailureThreshold": 1 } },
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "RoundRobin", "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" } ] } } } }
            """);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Authentication);

        for (int i = 0; i < 6; i++)
        {
            await gateway.Client.GetResponseAsync("hi");
        }

        Assert.Single(gateway.Fakes["a"].Requests);
        Assert.Equal(6, gateway.Fakes["b"].Requests.Count);
    }

    private static (ModelGroup Group, Deployment[] Deployments) Group(RoutingStrategy strategy, int count)
    {
        var deployments = new Deployment[count];
        for (int i = 0; i < count; i++)
        {
            deployments[i] = new Deployment($"p{i}", "m", new FakeChatClient(), null);
        }

        return (new ModelGroup("chat", strategy, deployments, new ModelGroupOptions()), deployments);
    }

    private static int Select(ModelGroup group, Deployment[] deployments, bool[]? excluded = null, Random? random = null, bool streaming = false, int input = 100, int output = 100, long? minute = null) =>
        DeploymentSelector.Select(group, deployments, excluded ?? new bool[deployments.Length], new SelectionInput(random ?? new Random(1), input, output, streaming, minute ?? Minute));
}
