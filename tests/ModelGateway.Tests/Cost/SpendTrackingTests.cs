using Microsoft.Extensions.AI;
using ModelGateway.Cost;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Cost;

public class SpendTrackingTests
{
    private const string Config = """
        { "ModelGateway": { "DefaultModel": "chat",
          "Providers": { "a": { "Type": "fake" } },
          "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "ma", "Pricing": { "InputPerMillion": 1000, "OutputPerMillion": 1000 } } ] },
                      "other": { "Deployments": [ { "Provider": "a", "Model": "mo", "Pricing": { "InputPerMillion": 2000, "OutputPerMillion": 2000 } } ] } } } }
        """;

    private static readonly DateTimeOffset Start = new(2026, 3, 10, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Spend_IsRecordedUnderEveryDimension_AndAnonymousWhenUnnamed()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 5 }; // $0.01 on chat, $0.02 on other

        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("alice").WithTeam("search").WithFeature("summarize").WithTags("beta", "eu"));
        await gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "other" }.WithUser("bob").WithTeam("search"));
        await gateway.Client.GetResponseAsync("hi");

        DateTimeOffset from = Start.AddDays(-1), to = Start.AddDays(1);
        IModelGateway g = gateway.Gateway;
        Assert.Equal(0.04m, g.GetSpend(SpendDimension.Global, null, from, to).CostUsd);
        Assert.Equal(0.01m, g.GetSpend(SpendDimension.User, "alice", from, to).CostUsd);
        Assert.Equal(0.01m, g.GetSpend(SpendDimension.User, SpendKeys.Anonymous, from, to).CostUsd);
        Assert.Equal(0.03m, g.GetSpend(SpendDimension.Team, "search", from, to).CostUsd);
        Assert.Equal(0.03m, g.GetSpend(SpendDimension.Feature, SpendKeys.Anonymous, from, to).CostUsd);
        Assert.Equal(0.01m, g.GetSpend(SpendDimension.Tag, "eu", from, to).CostUsd);
        Assert.Equal(0.02m, g.GetSpend(SpendDimension.Model, "other", from, to).CostUsd);
        Assert.Equal(0.04m, g.GetSpend(SpendDimension.Provider, "a", from, to).CostUsd);
        Assert.Equal(0.02m, g.GetSpend(SpendDimension.Deployment, "a/ma", from, to).CostUsd);
        Assert.Equal(new SpendSummary(0.04m, 15, 0, 15, 3, 0), g.GetSpend(SpendDimension.Global, null, from, to));
    }

    [Fact]
    public async Task Breakdown_ByTeam_IsAChargebackReportThatAddsUpToTheTotal()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 5 };

        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithTeam("search"));
        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithTeam("search"));
        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithTeam("ads"));
        await gateway.Client.GetResponseAsync("hi");

        IReadOnlyDictionary<string, SpendSummary> report = gateway.Gateway.GetSpendBreakdown(SpendDimension.Team, Start.AddHours(-1), Start.AddHours(1));

        Assert.Equal(3, report.Count);
        Assert.Equal(0.02m, report["search"].CostUsd);
        Assert.Equal(0.01m, report["ads"].CostUsd);
        Assert.Equal(0.01m, report[SpendKeys.Anonymous].CostUsd);
        Assert.Equal(2, report["search"].Requests);
    }

    [Fact]
    public async Task Periods_CountTheHoursTheyCover_OnTheGatewaysClock()
    {
        var time = new ManualTimeProvider(Start); // 10:30 on 10 March
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 5 };

        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u"));
        time.Advance(TimeSpan.FromHours(14)); // 00:30 on 11 March
        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u"));

        DateTimeOffset march10 = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        IModelGateway g = gateway.Gateway;
        Assert.Equal(0.01m, g.GetSpend(SpendDimension.User, "u", march10, march10.AddDays(1)).CostUsd);
        Assert.Equal(0.01m, g.GetSpend(SpendDimension.User, "u", march10.AddDays(1), march10.AddDays(2)).CostUsd);
        Assert.Equal(0m, g.GetSpend(SpendDimension.User, "u", march10.AddHours(11), march10.AddHours(24)).CostUsd);
        Assert.Equal(0.01m, g.GetSpend(SpendDimension.User, "u", march10.AddHours(10).AddMinutes(59), march10.AddHours(11)).CostUsd); // the whole hour of `from`
        Assert.Equal(0.02m, g.GetSpend(SpendDimension.User, "u", march10, march10.AddDays(2)).CostUsd);
    }

    [Fact]
    public void Store_ForgetsSpendOlderThanItsRetention_AndReleasesEmptyKeys()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemorySpendStore(time, TimeSpan.FromDays(2));
        for (int i = 0; i < 1_000; i++)
        {
            store.Record(Record(time.GetUtcNow(), $"user-{i}"));
        }

        time.Advance(TimeSpan.FromDays(3));
        store.Record(Record(time.GetUtcNow(), "late"));

        Assert.Equal(0m, store.GetSpend(SpendDimension.User, "user-1", Start.AddDays(-1), time.GetUtcNow()).CostUsd);
        Assert.Equal(8, store.KeyCount); // global, user "late", team, feature, model, provider, deployment, tag
    }

    [Fact]
    public async Task Store_ConcurrentRecords_LoseNothing()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemorySpendStore(time);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                store.Record(Record(time.GetUtcNow(), $"user-{i % 10}"));
            }
        })));

        Assert.Equal(8_000 * 0.001m, store.GetSpend(SpendDimension.Global, null, Start.AddHours(-1), Start.AddHours(1)).CostUsd);
        Assert.Equal(800 * 0.001m, store.GetSpend(SpendDimension.User, "user-3", Start.AddHours(-1), Start.AddHours(1)).CostUsd);
    }

    [Fact]
    public void GetSpend_BadArguments_AreRejected()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        Assert.ThrowsAny<ArgumentException>(() => gateway.Gateway.GetSpend(SpendDimension.User, null, Start, Start.AddDays(1)));
        Assert.Throws<ArgumentException>(() => gateway.Gateway.GetSpend(SpendDimension.Global, null, Start, Start.AddDays(-1)));
    }

    private static SpendRecord Record(DateTimeOffset at, string user) => new()
    {
        Timestamp = at,
        CostUsd = 0.001m,
        InputTokens = 1,
        OutputTokens = 1,
        Answered = true,
        User = user,
        Team = "t",
        Feature = "f",
        Tags = ["x"],
        Model = "chat",
        Provider = "p",
        Deployment = "p/m",
    };
}
