using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelGateway.Tests.Telemetry;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Gateway;

/// <summary>
/// Reading the clock is not free (about 30 ns per read on a virtual machine, where the vDSO may fall back to a system
/// call), and an answered call used to read the gateway's clock 11 times (12 with telemetry on). The planner, the
/// attempt, the cost observer, the cache and the telemetry stage now share their reads; this pins the count so that a
/// change that adds reads on the request path is noticed.
/// </summary>
public class ClockReadTests
{
    private const string Config = """
        { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" } },
          "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m", "Pricing": { "InputPerMillion": 1, "OutputPerMillion": 2 } } ] } },
          "Cache": { "Enabled": true, "Ttl": "01:00:00" },
          "Resilience": { "MaxRetries": 2 } } }
        """;

    [Fact]
    public async Task AnsweredCall_WithCostAndACacheMiss_ReadsTheClockSevenTimesItself()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Respond("hello");
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 };
        await gateway.Client.GetResponseAsync("warm up: first-call set-up may read the clock");

        int utcBefore = time.UtcNowReads;
        int timestampsBefore = time.TimestampReads;
        ChatResponse response = await gateway.Client.GetResponseAsync("a question the cache has not seen");

        Assert.False(response.GetGatewayInfo()!.CacheHit);
        Assert.NotNull(response.GetGatewayInfo()!.CostUsd);

        // Timestamps: the entry, the planner (which also starts the attempt), the attempt's end, and the call's latency
        // (measured by the telemetry stage when it is on, else by the entry).
        Assert.Equal(4, time.TimestampReads - timestampsBefore);

        // Wall clock: the planner (cooldowns, minute usage, the attempt's start), the attempt's end (health, usage,
        // cost, spend and the cache entry's expiry share it), the spend store's maintenance check, and the fake
        // provider, which records when each request reached it.
        Assert.Equal(4, time.UtcNowReads - utcBefore);
    }

    [Fact]
    public async Task TheCallsLatency_IsMeasuredOnce_WhenTheTelemetryStageIsOn()
    {
        var time = new ManualTimeProvider();
        var logs = new TestLoggerProvider();
        using TestGateway gateway = TestGateway.Create(Config, time, b => b.Services.AddLogging(l => l.AddProvider(logs)));
        gateway.Fakes["a"].Respond("hello");
        await gateway.Client.GetResponseAsync("warm up");

        int timestampsBefore = time.TimestampReads;
        ChatResponse response = await gateway.Client.GetResponseAsync("another question");

        // The telemetry stage logs the call with its latency, and the response reports the same figure.
        Assert.Contains(logs.Gateway, r => r.Level == LogLevel.Information);
        Assert.Equal(4, time.TimestampReads - timestampsBefore);
        Assert.Equal(TimeSpan.Zero, response.GetGatewayInfo()!.Latency);
    }
}
