using Microsoft.Extensions.Logging;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Routing;
using ModelGateway.Telemetry;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Telemetry;

[Collection(TelemetryTestCollection.Name)]
public sealed class TelemetryMetricsTests
{
    private static (TestGateway Gateway, MetricCollector Metrics) Create(
        ManualTimeProvider? time = null, Action<IServiceCollection>? services = null, string extra = "")
    {
        TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config(extra: extra), time, b => services?.Invoke(b.Services));
        var metrics = new MetricCollector(gateway.Services.GetRequiredService<GatewayTelemetry>().Meter);
        return (gateway, metrics);
    }

    [Fact]
    public async Task SuccessfulCall_RecordsDurationTokensRequestAndCost_WithBoundedTags()
    {
        var time = new ManualTimeProvider();
        (TestGateway gateway, MetricCollector metrics) = Create(time, s => s.AddSingleton<AttemptObserver>(new FixedCostObserver(0.0125m)));
        using (gateway)
        using (metrics)
        {
            gateway.Fakes["a"].Latency = TimeSpan.FromMilliseconds(1500);
            gateway.Fakes["a"].Respond(TelemetryTracingTests.Answer(input: 120, output: 30));

            // Advance exactly once: the router's attempt timeout is a timer too, so driving "while any timer is pending" would overshoot.
            Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u-123").WithTeam("search").WithFeature("web_chat"));
            await time.WaitForTimersAsync();
            time.Advance(TimeSpan.FromMilliseconds(1500));
            await call;

            Measurement duration = Assert.Single(metrics.Of("gen_ai.client.operation.duration"));
            Assert.Equal(1.5, duration.Value, 3);
            Assert.Equal("chat", duration.Tag("gen_ai.operation.name"));
            Assert.Equal("chat", duration.Tag("gen_ai.request.model"));
            Assert.Equal("openai", duration.Tag("gen_ai.provider.name"));
            Assert.Equal("ma-2025", duration.Tag("gen_ai.response.model"));
            Assert.Equal("a/ma", duration.Tag("modelgateway.deployment"));
            Assert.False(duration.Tags.ContainsKey("error.type"));

            IReadOnlyList<Measurement> tokens = metrics.Of("gen_ai.client.token.usage");
            Assert.Equal([("input", 120d), ("output", 30d)], tokens.Select(t => ((string)t.Tag("gen_ai.token.type")!, t.Value)));
            Assert.All(tokens, t => Assert.Equal("openai", t.Tag("gen_ai.provider.name")));

            Measurement request = Assert.Single(metrics.Of("modelgateway.requests"));
            Assert.Equal(1, request.Value);
            Assert.Equal(("chat", "success", "search", "web_chat"), (request.Tag("modelgateway.alias"), request.Tag("modelgateway.outcome"), request.Tag("modelgateway.team"), request.Tag("modelgateway.feature")));

            Measurement cost = Assert.Single(metrics.Of("modelgateway.cost"));
            Assert.Equal(0.0125, cost.Value, 6);
            Assert.Equal(("chat", "a", "a/ma", "search", "web_chat"),
                (cost.Tag("modelgateway.alias"), cost.Tag("modelgateway.provider"), cost.Tag("modelgateway.deployment"), cost.Tag("modelgateway.team"), cost.Tag("modelgateway.feature")));

            Measurement attempt = Assert.Single(metrics.Of("modelgateway.attempt.duration"));
            Assert.Equal(1.5, attempt.Value, 3);

            // User ids are unbounded: never a metric tag.
            Assert.DoesNotContain(metrics.All, m => m.Tags.ContainsKey("modelgateway.user") || m.Tags.Values.Contains("u-123"));
            Assert.Empty(metrics.Of("modelgateway.retries"));
            Assert.Empty(metrics.Of("gen_ai.client.operation.time_to_first_chunk"));
        }
    }

    [Fact]
    public void Histograms_AdviseTheSemanticConventionBucketBoundaries()
    {
        (TestGateway gateway, MetricCollector metrics) = Create();
        using (gateway)
        using (metrics)
        {
            double[] seconds = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
            foreach (string name in new[] { "gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk", "modelgateway.attempt.duration" })
            {
                var histogram = (Histogram<double>)metrics.Instruments[name];
                Assert.Equal("s", histogram.Unit);
                Assert.Equal(seconds, histogram.Advice!.HistogramBucketBoundaries);
            }

            var tokens = (Histogram<long>)metrics.Instruments["gen_ai.client.token.usage"];
            Assert.Equal("{token}", tokens.Unit);
            Assert.Equal([1L, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864], tokens.Advice!.HistogramBucketBoundaries);
        }
    }

    [Fact]
    public async Task StreamedCall_RecordsTimeToFirstChunk()
    {
        var time = new ManualTimeProvider();
        (TestGateway gateway, MetricCollector metrics) = Create(time);
        using (gateway)
        using (metrics)
        {
            gateway.Fakes["a"].Latency = TimeSpan.FromMilliseconds(250);
            gateway.Fakes["a"].RespondStreaming("x", "y");

            // Advance exactly once: the router's first-token watchdog is a timer too, so driving "while any timer is pending" would overshoot.
            Task<int> call = CollectAsync(gateway.Client.GetStreamingResponseAsync("hi"));
            await time.WaitForTimersAsync();
            time.Advance(TimeSpan.FromMilliseconds(250));
            await call;

            Measurement first = Assert.Single(metrics.Of("gen_ai.client.operation.time_to_first_chunk"));
            Assert.Equal(0.25, first.Value, 3);
            Assert.Equal(("chat", "openai"), (first.Tag("gen_ai.request.model"), first.Tag("gen_ai.provider.name")));
            Assert.Single(metrics.Of("gen_ai.client.operation.duration"));
        }
    }

    [Fact]
    public async Task StreamedCall_FirstChunkAtClockZero_StillRecordsTimeToFirstChunk()
    {
        (TestGateway gateway, MetricCollector metrics) = Create(new ManualTimeProvider()); // the clock never moves: timestamp 0
        using (gateway)
        using (metrics)
        {
            gateway.Fakes["a"].RespondStreaming("x");

            await CollectAsync(gateway.Client.GetStreamingResponseAsync("hi"));

            Assert.Equal(0, Assert.Single(metrics.Of("gen_ai.client.operation.time_to_first_chunk")).Value);
        }
    }

    [Fact]
    public async Task CallThatFallsBack_CountsEveryRetryAndOneFallback_WithTheReason()
    {
        (TestGateway gateway, MetricCollector metrics) = Create();
        using (gateway)
        using (metrics)
        {
            for (int i = 0; i < 5; i++)
            {
                gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable, 503);
                gateway.Fakes["b"].Fail(ProviderErrorKind.Unavailable, 503);
            }

            gateway.Fakes["c"].Respond("from backup");

            ChatResponse response = await gateway.Client.GetResponseAsync("hi");

            int attempts = response.GetGatewayInfo()!.Attempts.Count;
            Assert.Equal("backup", response.GetGatewayInfo()!.Model);
            Assert.Equal(attempts - 1, metrics.Of("modelgateway.retries").Count);
            Assert.All(metrics.Of("modelgateway.retries"), r => Assert.Equal(("chat", "unavailable"), (r.Tag("modelgateway.alias"), r.Tag("error.type"))));
            Measurement fallback = Assert.Single(metrics.Of("modelgateway.fallbacks"));
            Assert.Equal(("chat", "backup", "unavailable"), (fallback.Tag("modelgateway.alias"), fallback.Tag("modelgateway.fallback.alias"), fallback.Tag("error.type")));
            Assert.Equal(attempts, metrics.Of("modelgateway.attempt.duration").Count);
            Assert.Equal(attempts - 1, metrics.Of("modelgateway.attempt.duration").Count(m => (string?)m.Tag("error.type") == "unavailable"));
        }
    }

    [Fact]
    public async Task FailedCall_CountsAnErrorOutcome_AndTheDurationCarriesTheErrorType()
    {
        (TestGateway gateway, MetricCollector metrics) = Create();
        using (gateway)
        using (metrics)
        {
            gateway.Fakes["a"].Fail(ProviderErrorKind.BadRequest, 400);

            await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));

            Measurement request = Assert.Single(metrics.Of("modelgateway.requests"));
            Assert.Equal(("error", "bad_request"), (request.Tag("modelgateway.outcome"), request.Tag("error.type")));
            Assert.Equal("bad_request", Assert.Single(metrics.Of("gen_ai.client.operation.duration")).Tag("error.type"));
            Assert.Empty(metrics.Of("gen_ai.client.token.usage"));
            Assert.Empty(metrics.Of("modelgateway.cost"));
        }
    }

    [Fact]
    public async Task BudgetAndRateLimitRejections_AreCounted()
    {
        int calls = 0;
        (TestGateway gateway, MetricCollector metrics) = Create(services: s => s.AddSingleton<GatewayStage>(new ScriptedStage(GatewayStageOrder.RateLimits, _ =>
            ++calls == 1
                ? throw new BudgetExceededException(LimitScope.Team, "search", 100, 100, null)
                : throw new RateLimitExceededException(LimitScope.User, "u-1", TimeSpan.FromSeconds(3)))));
        using (gateway)
        using (metrics)
        {
            await Assert.ThrowsAsync<BudgetExceededException>(() => gateway.Client.GetResponseAsync("hi", new ChatOptions().WithTeam("search")));
            await Assert.ThrowsAsync<RateLimitExceededException>(() => gateway.Client.GetResponseAsync("hi"));

            Measurement budget = Assert.Single(metrics.Of("modelgateway.budget.rejections"));
            Assert.Equal(("chat", "search", "Team"), (budget.Tag("modelgateway.alias"), budget.Tag("modelgateway.team"), budget.Tag("modelgateway.limit.scope")));
            Assert.Equal("User", Assert.Single(metrics.Of("modelgateway.rate_limit.rejections")).Tag("modelgateway.limit.scope"));
            Assert.Equal(["budget_rejected", "rate_limited"], metrics.Of("modelgateway.requests").Select(r => (string)r.Tag("modelgateway.outcome")!));
            Assert.Empty(metrics.Of("modelgateway.attempt.duration"));
        }
    }

    [Fact]
    public async Task CacheHitsAndMisses_AreCounted_WhenTheCacheIsOn()
    {
        bool hit = false;
        (TestGateway gateway, MetricCollector metrics) = Create(
            services: s => s.AddSingleton<GatewayStage>(new ScriptedStage(GatewayStageOrder.Cache, context =>
            {
                if (!hit)
                {
                    return null;
                }

                context.CacheHit = true;
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "cached"));
            })),
            extra: "\"Cache\": { \"Enabled\": true },");
        using (gateway)
        using (metrics)
        {
            await gateway.Client.GetResponseAsync("hi");
            hit = true;
            await gateway.Client.GetResponseAsync("hi");
            await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithCacheMode(CacheMode.Bypass)); // not looked up: neither

            Assert.Equal("chat", Assert.Single(metrics.Of("modelgateway.cache.hits")).Tag("modelgateway.alias"));
            Assert.Single(metrics.Of("modelgateway.cache.misses"));
        }
    }

    [Fact]
    public void CooldownHook_CountsTheCooldownAndLogsAWarning()
    {
        var logs = new TestLoggerProvider();
        TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config(), configure: b => b.Services.AddLogging(l => l.AddProvider(logs)));
        using (gateway)
        using (var metrics = new MetricCollector(gateway.Services.GetRequiredService<GatewayTelemetry>().Meter))
        {
            GatewayTelemetry telemetry = gateway.Services.GetRequiredService<GatewayTelemetry>();
            Deployment deployment = gateway.Services.GetRequiredService<GatewayRuntime>().Table.Resolve("chat").Deployments[0];

            telemetry.OnCooldownOpened("chat", deployment, TimeSpan.FromSeconds(30), ProviderErrorKind.RateLimited);

            Measurement cooldown = Assert.Single(metrics.Of("modelgateway.cooldowns"));
            Assert.Equal(("chat", "a", "a/ma", "rate_limited"),
                (cooldown.Tag("modelgateway.alias"), cooldown.Tag("modelgateway.provider"), cooldown.Tag("modelgateway.deployment"), cooldown.Tag("error.type")));
            LogRecord warning = Assert.Single(logs.Gateway, r => r.EventId.Name == "GatewayCooldownOpened");
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Equal("30000", warning.Value("DurationMs"));
        }
    }

    [Fact]
    public async Task CooldownOpenedByTheRouter_IsCountedOnce()
    {
        TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat",
              "Resilience": { "MaxRetries": 0, "Cooldown": { "FailureThreshold": 2, "SamplingWindow": "00:01:00", "Duration": "00:00:30" } },
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "ma" }, { "Provider": "b", "Model": "mb" } ] } } } }
            """);
        using (gateway)
        using (var metrics = new MetricCollector(gateway.Services.GetRequiredService<GatewayTelemetry>().Meter))
        {
            gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Unavailable);

            await gateway.Client.GetResponseAsync("one");   // first failure: below the threshold
            Assert.Empty(metrics.Of("modelgateway.cooldowns"));
            await gateway.Client.GetResponseAsync("two");   // second failure: the cooldown opens
            await gateway.Client.GetResponseAsync("three"); // skipped while cooling down: not another opening

            Measurement cooldown = Assert.Single(metrics.Of("modelgateway.cooldowns"));
            Assert.Equal(("chat", "unavailable"), (cooldown.Tag("modelgateway.alias"), cooldown.Tag("error.type")));
            Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
        }
    }

    [Fact]
    public async Task UserMetricTags_WhenConfigured_TagsRequestAndCostCountersWithTheUser()
    {
        TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config(extra: "\"Pricing\": { \"ma\": { \"InputPerMillion\": 1, \"OutputPerMillion\": 1 } },").Replace(
            "\"IncludeContent\": false", "\"IncludeContent\": false, \"UserMetricTags\": true"));
        using (gateway)
        using (var metrics = new MetricCollector(gateway.Services.GetRequiredService<GatewayTelemetry>().Meter))
        {
            gateway.Fakes["a"].Respond(TelemetryTracingTests.Answer());

            await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u-123"));

            Assert.Equal("u-123", Assert.Single(metrics.Of("modelgateway.requests")).Tag("modelgateway.user"));
            Assert.Equal("u-123", Assert.Single(metrics.Of("modelgateway.cost")).Tag("modelgateway.user"));
            Assert.DoesNotContain(metrics.Of("gen_ai.client.operation.duration"), m => m.Tags.ContainsKey("modelgateway.user"));
        }
    }

    private static async Task<int> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        int count = 0;
        await foreach (ChatResponseUpdate _ in updates)
        {
            count++;
        }

        return count;
    }
}
