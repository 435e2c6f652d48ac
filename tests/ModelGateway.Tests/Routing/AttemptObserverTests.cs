using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Routing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Routing;

public class AttemptObserverTests
{
    private const string Config = """
        { "ModelGateway": { "DefaultModel": "chat",
          "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
          "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "ma" }, { "Provider": "b", "Model": "mb" } ] } } } }
        """;

    [Fact]
    public async Task Observer_SeesEveryAttemptWithItsOutcome()
    {
        var observer = new RecordingObserver();
        using TestGateway gateway = TestGateway.Create(Config, configure: b => b.Services.AddSingleton<AttemptObserver>(observer));
        gateway.Fakes["a"].Fail(ProviderErrorKind.RateLimited);
        gateway.Fakes["b"].Respond(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 7, OutputTokenCount = 2 }, ModelId = "mb-2025" });

        await gateway.Client.GetResponseAsync("hi");

        Assert.Equal(["start a #1", "end a RateLimited", "start b #2", "end b ok 7/2 mb-2025"], observer.Events);
    }

    [Fact]
    public async Task Observer_StreamedAttempt_GetsSummedUsageAndFirstChunkTime()
    {
        var observer = new RecordingObserver();
        using TestGateway gateway = TestGateway.Create(Config, configure: b => b.Services.AddSingleton<AttemptObserver>(observer));
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 4, OutputTokenCount = 3 };
        gateway.Fakes["a"].RespondStreaming("x", "y");

        await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi"))
        {
        }

        Assert.Equal(["start a #1", "end a ok 4/3 ma"], observer.Events);
        Assert.NotNull(observer.TimeToFirstChunk);
    }

    [Fact]
    public async Task Observer_CallerStopsEarly_IsToldTheAttemptWasAbandoned()
    {
        var observer = new RecordingObserver();
        using TestGateway gateway = TestGateway.Create(Config, configure: b => b.Services.AddSingleton<AttemptObserver>(observer));
        gateway.Fakes["a"].RespondStreaming("x", "y", "z");

        await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi"))
        {
            break;
        }

        Assert.Equal(["start a #1", "end a abandoned"], observer.Events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task EveryObserver_GetsBackItsOwnStateForEachAttempt(int observers)
    {
        var registered = new StateObserver[observers];
        using TestGateway gateway = TestGateway.Create(Config, configure: b =>
        {
            for (int i = 0; i < observers; i++)
            {
                registered[i] = new StateObserver($"o{i}");
                b.Services.AddSingleton<AttemptObserver>(registered[i]);
            }
        });
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);
        gateway.Fakes["b"].Respond("ok");

        await gateway.Client.GetResponseAsync("hi");

        foreach (StateObserver observer in registered)
        {
            Assert.Equal([$"{observer.Name}:a", $"{observer.Name}:b"], observer.Returned);
        }
    }

    private sealed class StateObserver(string name) : AttemptObserver
    {
        public string Name => name;

        public List<string> Returned { get; } = [];

        public override object? OnAttemptStarting(GatewayRequestContext context, in AttemptInfo attempt) => $"{name}:{attempt.Deployment.Provider}";

        public override void OnAttemptCompleted(GatewayRequestContext context, in AttemptInfo attempt, object? state, in AttemptOutcome outcome) =>
            Returned.Add((string)state!);
    }

    private sealed class RecordingObserver : AttemptObserver
    {
        public List<string> Events { get; } = [];

        public TimeSpan? TimeToFirstChunk { get; private set; }

        public override object? OnAttemptStarting(GatewayRequestContext context, in AttemptInfo attempt)
        {
            Events.Add($"start {attempt.Deployment.Provider} #{attempt.Number}");
            return attempt.Deployment.Provider;
        }

        public override void OnAttemptCompleted(GatewayRequestContext context, in AttemptInfo attempt, object? state, in AttemptOutcome outcome)
        {
            Assert.Equal(attempt.Deployment.Provider, state);
            TimeToFirstChunk ??= outcome.TimeToFirstChunk;
            Events.Add(outcome.Abandoned ? $"end {state} abandoned"
                : outcome.Error is { } error ? $"end {state} {error.Kind}"
                : $"end {state} ok {outcome.Usage?.InputTokenCount}/{outcome.Usage?.OutputTokenCount} {outcome.ResponseModel}");
        }
    }
}
