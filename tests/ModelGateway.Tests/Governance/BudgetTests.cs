using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Governance;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Governance;

public class BudgetTests
{
    // "hi" is estimated at 5 input tokens; with MaxOutputTokens 10 a call is estimated at (5 + 10) × $1,000 / M = $0.015,
    // and the fake reports exactly that usage, so estimate and cost agree.
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 22, 0, 0, TimeSpan.Zero); // a Tuesday

    [Fact]
    public async Task Budget_RejectsOnceSpent_WithScopeKeyLimitSpentAndReset()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = Create(time, """{ "Scope": "User", "Key": "*", "LimitUsd": 0.03, "Period": "Daily" }""");

        await gateway.Client.GetResponseAsync("hi", Options("alice"));
        await gateway.Client.GetResponseAsync("hi", Options("alice"));
        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => gateway.Client.GetResponseAsync("hi", Options("alice")));

        Assert.Equal(LimitScope.User, error.Scope);
        Assert.Equal("alice", error.Key);
        Assert.Equal(0.03m, error.LimitUsd);
        Assert.Equal(0.03m, error.SpentUsd);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), error.ResetsAt);
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count); // rejected before any provider call
        await gateway.Client.GetResponseAsync("hi", Options("bob")); // "*" budgets each user separately
    }

    [Fact]
    public async Task Budget_ResetsAtThePeriodBoundary()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = Create(time, """{ "Scope": "Team", "Key": "search", "LimitUsd": 0.015, "Period": "Daily" }""");
        await gateway.Client.GetResponseAsync("hi", Options("u", team: "search"));
        await Assert.ThrowsAsync<BudgetExceededException>(() => gateway.Client.GetResponseAsync("hi", Options("u", team: "search")));

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(59)); // 23:59
        await Assert.ThrowsAsync<BudgetExceededException>(() => gateway.Client.GetResponseAsync("hi", Options("u", team: "search")));
        time.Advance(TimeSpan.FromMinutes(1)); // midnight UTC

        await gateway.Client.GetResponseAsync("hi", Options("u", team: "search"));
        await gateway.Client.GetResponseAsync("hi", Options("u", team: "ads")); // another team is not in this budget
    }

    [Fact]
    public async Task Budget_HundredConcurrentCallsNearTheLimit_OverspendByNoMoreThanOneCall()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = Create(time, """{ "Scope": "Global", "LimitUsd": 0.10, "Period": "Monthly" }""");
        gateway.Fakes["a"].Latency = TimeSpan.FromSeconds(1); // every admitted call stays in flight until the clock moves

        Task<ChatResponse>[] calls = Enumerable.Range(0, 100)
            .Select(i => Task.Run(() => gateway.Client.GetResponseAsync("hi", Options($"user-{i}"))))
            .ToArray();
        await Wait.UntilAsync(() => calls.Count(c => c.IsFaulted) + gateway.Fakes["a"].Requests.Count == 100, "every call was admitted or rejected");
        int inFlight = gateway.Fakes["a"].Requests.Count;
        await time.WaitForTimersAsync(inFlight); // each admitted call waits on its latency timer
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(calls.Where(c => !c.IsFaulted)).WaitAsync(TimeSpan.FromSeconds(10));

        int admitted = calls.Count(c => c.IsCompletedSuccessfully);
        decimal spent = gateway.Gateway.GetSpend(SpendDimension.Global, null, Start.AddDays(-1), Start.AddDays(1)).CostUsd;
        Assert.All(calls.Where(c => c.IsFaulted), c => Assert.IsType<BudgetExceededException>(c.Exception!.InnerException));
        Assert.Equal(7, admitted); // admitted while spent + reserved < $0.10: 0, 0.015, …, 0.09
        Assert.True(spent <= 0.10m + 0.015m, $"spent {spent}");
    }

    [Fact]
    public async Task Budget_StreamedCall_IsChargedWhenTheStreamEnds()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = Create(time, """{ "Scope": "Feature", "Key": "chat-ui", "LimitUsd": 0.015, "Period": "Weekly" }""");
        var options = Options("u").WithFeature("chat-ui");

        await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi", options))
        {
        }

        var error = await Assert.ThrowsAsync<BudgetExceededException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi", Options("u").WithFeature("chat-ui")))
            {
            }
        });
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero), error.ResetsAt); // next Monday
    }

    [Fact]
    public async Task Budget_TotalAndModelScope_NeverResets()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = Create(time, """{ "Scope": "Model", "Key": "CHAT", "LimitUsd": 0.015, "Period": "Total" }""");
        await gateway.Client.GetResponseAsync("hi", Options("u"));
        time.Advance(TimeSpan.FromDays(400));

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => gateway.Client.GetResponseAsync("hi", Options("u")));

        Assert.Null(error.ResetsAt);
        Assert.Equal("chat", error.Key);
    }

    [Fact]
    public async Task Budget_StartsFromTheSpendStore_SoAPersistentStoreKeepsItAcrossRestarts()
    {
        var time = new ManualTimeProvider(Start);
        var store = new ModelGateway.Cost.InMemorySpendStore(time);
        store.Record(new SpendRecord
        {
            Timestamp = Start.AddHours(-1), CostUsd = 0.05m, User = "alice", Team = "t", Feature = "f", Model = "chat", Provider = "a", Deployment = "a/m",
        });
        using TestGateway gateway = Create(time, """{ "Scope": "User", "Key": "*", "LimitUsd": 0.05, "Period": "Daily" }""",
            services => services.AddSingleton<ISpendStore>(store));

        await Assert.ThrowsAsync<BudgetExceededException>(() => gateway.Client.GetResponseAsync("hi", Options("alice")));
    }

    [Fact]
    public async Task Budget_ProviderFailure_ChargesNothingAndReleasesTheReservation()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = Create(time, """{ "Scope": "Global", "LimitUsd": 0.015, "Period": "Daily" }""");
        gateway.Fakes["a"].Fail(ProviderErrorKind.BadRequest, 400);

        await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi", Options("u")));

        await gateway.Client.GetResponseAsync("hi", Options("u"));
    }

    [Fact]
    public async Task Budget_IdleCounters_AreReleased()
    {
        var time = new ManualTimeProvider(Start);
        using TestGateway gateway = Create(time, """{ "Scope": "User", "Key": "*", "LimitUsd": 1, "Period": "Daily" }""");
        for (int i = 0; i < 200; i++)
        {
            await gateway.Client.GetResponseAsync("hi", Options($"user-{i}"));
        }

        var budgets = gateway.Services.GetRequiredService<GatewayBudgets>();
        Assert.Equal(200, budgets.CounterCount);
        time.Advance(TimeSpan.FromMinutes(11));

        await gateway.Client.GetResponseAsync("hi", Options("user-0"));

        Assert.Equal(1, budgets.CounterCount);
    }

    [Fact]
    public void NoBudgets_PipelineHasNoBudgetClient()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """);

        Assert.Null(gateway.Services.GetRequiredService<GatewayRuntime>().Pipeline.GetService(typeof(BudgetChatClient)));
    }

    [Theory]
    [InlineData("2026-03-10T22:00:00Z", BudgetPeriod.Weekly, "2026-03-09T00:00:00Z")]
    [InlineData("2026-03-15T23:59:59Z", BudgetPeriod.Weekly, "2026-03-09T00:00:00Z")]
    [InlineData("2026-03-16T00:00:00Z", BudgetPeriod.Weekly, "2026-03-16T00:00:00Z")]
    [InlineData("2026-02-28T12:00:00+05:00", BudgetPeriod.Monthly, "2026-02-01T00:00:00Z")]
    [InlineData("2026-03-01T02:00:00+05:00", BudgetPeriod.Daily, "2026-02-28T00:00:00Z")]
    public void Periods_StartInUtc(string now, BudgetPeriod period, string start) =>
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), BudgetPeriods.Start(period, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    private static ChatOptions Options(string user, string? team = null)
    {
        var options = new ChatOptions { MaxOutputTokens = 10 }.WithUser(user);
        return team is null ? options : options.WithTeam(team);
    }

    private static TestGateway Create(ManualTimeProvider time, string budget, Action<IServiceCollection>? services = null)
    {
        TestGateway gateway = TestGateway.Create($$"""
            { "ModelGateway": { "DefaultModel": "chat",
              "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m", "Pricing": { "InputPerMillion": 1000, "OutputPerMillion": 1000 } } ] } },
              "Budgets": [ {{budget}} ] } }
            """, time, b => services?.Invoke(b.Services));
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 10 };
        return gateway;
    }
}
