using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelGateway.Gateway;
using ModelGateway.Routing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Telemetry;

[Collection(TelemetryTestCollection.Name)]
public sealed class TelemetryLoggingTests
{
    private static (TestGateway Gateway, TestLoggerProvider Logs) Create(bool includeContent = false, ManualTimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var logs = new TestLoggerProvider();
        TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config(includeContent), time, b =>
        {
            b.Services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            services?.Invoke(b.Services);
        });
        return (gateway, logs);
    }

    [Fact]
    public async Task SuccessfulCall_WritesOneInformationLineWithTheOutcome()
    {
        (TestGateway gateway, TestLoggerProvider logs) = Create(services: s => s.AddSingleton<AttemptObserver>(new FixedCostObserver(0.5m)));
        using (gateway)
        {
            gateway.Fakes["a"].Respond(TelemetryTracingTests.Answer(input: 11, output: 5));

            await gateway.Client.GetResponseAsync("a secret prompt");

            LogRecord line = Assert.Single(logs.Gateway);
            Assert.Equal((LogLevel.Information, "GatewayCallCompleted"), (line.Level, line.EventId.Name));
            Assert.Equal("chat", line.Value("Alias"));
            Assert.Equal("success", line.Value("Outcome"));
            Assert.Equal(("a", "ma", "1"), (line.Value("Provider"), line.Value("Deployment"), line.Value("Attempts")));
            Assert.Equal(("11", "5", "0.5", "False"), (line.Value("InputTokens"), line.Value("OutputTokens"), line.Value("CostUsd"), line.Value("CacheHit")));
            Assert.NotNull(line.Value("LatencyMs"));
            Assert.DoesNotContain(logs.Records, r => r.AllText.Contains("a secret prompt", StringComparison.Ordinal)); // no content by default
        }
    }

    [Fact]
    public async Task RetriedCall_WritesAWarningPerFailedAttempt_WithTheDelayBeforeTheNext()
    {
        var time = new ManualTimeProvider();
        (TestGateway gateway, TestLoggerProvider logs) = Create(time: time);
        using (gateway)
        {
            gateway.Fakes["a"].Fail(new ProviderException(ProviderErrorKind.RateLimited, "slow down") { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(2), ProviderErrorCode = "rate_limit_exceeded" });
            gateway.Fakes["a"].Respond("ok");

            await time.DriveAsync(gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "a/ma" }), TimeSpan.FromSeconds(1));

            LogRecord warning = Assert.Single(logs.Gateway, r => r.Level == LogLevel.Warning);
            Assert.Equal("GatewayAttemptFailed", warning.EventId.Name);
            Assert.Equal(("1", "a/ma", "a", "ma"), (warning.Value("Attempt"), warning.Value("Alias"), warning.Value("Provider"), warning.Value("Deployment")));
            Assert.Equal(("RateLimited", "429", "rate_limit_exceeded"), (warning.Value("ErrorKind"), warning.Value("StatusCode"), warning.Value("ProviderErrorCode")));
            Assert.Equal("2000", warning.Value("NextDelayMs"));
            LogRecord done = Assert.Single(logs.Gateway, r => r.Level == LogLevel.Information);
            Assert.Equal("2", done.Value("Attempts"));
            Assert.DoesNotContain(logs.Gateway, r => r.Level == LogLevel.Error);
        }
    }

    [Fact]
    public async Task FailedCall_WritesWarningsForTheAttemptsAndOneError()
    {
        (TestGateway gateway, TestLoggerProvider logs) = Create();
        using (gateway)
        {
            gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable, 503);
            gateway.Fakes["b"].Fail(ProviderErrorKind.BadRequest, 400);

            ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));

            IReadOnlyList<LogRecord> records = logs.Gateway;
            Assert.Equal(
                [(LogLevel.Warning, "GatewayAttemptFailed"), (LogLevel.Warning, "GatewayAttemptFailedNoRetry"), (LogLevel.Error, "GatewayCallFailed")],
                records.Select(r => (r.Level, r.EventId.Name!)));
            Assert.Equal("BadRequest", records[1].Value("ErrorKind"));
            LogRecord failed = records[2];
            Assert.Equal(("chat", "2", "bad_request"), (failed.Value("Alias"), failed.Value("Attempts"), failed.Value("ErrorType")));
            Assert.Same(error, failed.Exception);
        }
    }

    [Fact]
    public async Task RejectedCall_WritesAWarning_NotAnError()
    {
        (TestGateway gateway, TestLoggerProvider logs) = Create(services: s => s.AddSingleton<GatewayStage>(
            new ScriptedStage(GatewayStageOrder.Budgets, _ => throw new BudgetExceededException(LimitScope.Feature, "web_chat", 10, 10, null))));
        using (gateway)
        {
            await Assert.ThrowsAsync<BudgetExceededException>(() => gateway.Client.GetResponseAsync("hi"));

            LogRecord rejected = Assert.Single(logs.Gateway);
            Assert.Equal((LogLevel.Warning, "GatewayCallRejected"), (rejected.Level, rejected.EventId.Name));
            Assert.Equal(("budget_exceeded", "Feature"), (rejected.Value("ErrorType"), rejected.Value("LimitScope")));
        }
    }

    [Fact]
    public async Task IncludeContent_LogsTheMessages()
    {
        (TestGateway gateway, TestLoggerProvider logs) = Create(includeContent: true);
        using (gateway)
        {
            gateway.Fakes["a"].Respond("the answer");

            await gateway.Client.GetResponseAsync("the question");

            LogRecord content = Assert.Single(logs.Gateway, r => r.EventId.Name == "GatewayCallContent");
            Assert.Equal(LogLevel.Information, content.Level);
            Assert.Contains("the question", content.Value("InputMessages"));
            Assert.Contains("the answer", content.Value("OutputMessages"));
        }
    }

    [Fact]
    public async Task LoggingAboveInformation_WritesNoCallLine()
    {
        var logs = new TestLoggerProvider();
        using TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config(), configure: b =>
            b.Services.AddLogging(l => l.AddProvider(logs).AddFilter("ModelGateway", LogLevel.Warning)));

        await gateway.Client.GetResponseAsync("hi");

        Assert.Empty(logs.Gateway);
    }
}
