using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Routing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Resilience;

public class TimeoutTests
{
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "chat",
        "Resilience": { "MaxRetries": 0, "AttemptTimeout": "00:00:05", "TotalTimeout": "00:01:00",
                        "FirstTokenTimeout": "00:00:03", "StreamIdleTimeout": "00:00:04" },
        "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
        "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" } ] } }
      }
    }
    """;

    [Fact]
    public async Task AttemptTimeout_IsATimeoutFailure_AndTheNextDeploymentAnswers()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Hang();

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        ChatResponse response = await call;

        GatewayAttempt first = response.GetGatewayInfo()!.Attempts[0];
        Assert.Equal(("a", ProviderErrorKind.Timeout, TimeSpan.FromSeconds(5)), (first.Provider, first.ErrorKind!.Value, first.Duration));
        Assert.Equal("b", response.GetGatewayInfo()!.Provider);
        Assert.True(gateway.Fakes["a"].Requests[0].CancellationToken.IsCancellationRequested, "the hung call was cancelled");
    }

    [Fact]
    public async Task TotalTimeout_BoundsEveryAttemptAndWait()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(
            Config.Replace("\"MaxRetries\": 0", "\"MaxRetries\": 10, \"BaseDelay\": \"00:00:02\", \"MaxDelay\": \"00:00:02\"").Replace("\"TotalTimeout\": \"00:01:00\"", "\"TotalTimeout\": \"00:00:12\""),
            time);
        for (int i = 0; i < 20; i++)
        {
            gateway.Fakes["a"].Hang();
            gateway.Fakes["b"].Hang();
        }

        DateTimeOffset start = time.GetUtcNow();
        var error = await Assert.ThrowsAsync<ModelGatewayException>(() => time.DriveAsync(gateway.Client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(500)));

        Assert.InRange(time.GetUtcNow() - start, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12));
        Assert.All(error.Attempts, a => Assert.Equal(ProviderErrorKind.Timeout, a.ErrorKind));
        Assert.Contains("TotalTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_NoFirstChunkWithinFirstTokenTimeout_IsAnsweredByTheNextDeployment()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Hang();
        gateway.Fakes["b"].RespondStreaming("from ", "b");

        Task<List<ChatResponseUpdate>> call = CollectAsync(gateway.Client.GetStreamingResponseAsync("hi"));
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(3));
        ChatResponse response = (await call).ToChatResponse();

        Assert.Equal("from b", response.Text);
        Assert.Equal([ProviderErrorKind.Timeout, null], response.GetGatewayInfo()!.Attempts.Select(a => a.ErrorKind));
    }

    [Fact]
    public async Task Streaming_SilenceAfterTheFirstChunk_SurfacesAsATimeoutWithoutRetrying()
    {
        var time = new ManualTimeProvider();
        var stalling = new StallingStreamClient(time);
        var b = new ModelGateway.Testing.FakeChatClient(time, "b");
        using TestGateway gateway = TestGateway.Create(
            Config.Replace("\"a\": { \"Type\": \"fake\" }, \"b\": { \"Type\": \"fake\" }", "\"a\": { \"Type\": \"stalling\" }, \"b\": { \"Type\": \"second\" }"),
            time,
            builder => builder.AddProviderType("stalling", (_, _) => stalling).AddProviderType("second", (_, _) => b),
            fakes: false);
        var received = new List<string>();

        Task consume = Task.Run(async () =>
        {
            await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });
        await Wait.UntilAsync(() => stalling.Stalled || consume.IsCompleted, "the stream stalled after its first chunk");
        Assert.False(consume.IsFaulted, consume.Exception?.ToString());
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(4));

        var error = await Assert.ThrowsAsync<ProviderException>(() => consume);
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.Contains("StreamIdleTimeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(["Hello"], received);
        Assert.Empty(b.Requests);
        Assert.True(stalling.Disposed);
    }

    [Fact]
    public async Task NonStreamed_AttemptOutcome_IsRecordedOnlyOnceItsTimerIsGone()
    {
        var time = new ManualTimeProvider();
        var probe = new PendingTimersProbe(time);
        using TestGateway gateway = TestGateway.Create(Config, time, b => b.Services.AddSingleton<AttemptObserver>(probe));
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable, 503);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        // Anyone who waits for the outcome (health, observers, a test driving the clock) sees no timer left armed.
        Assert.Equal("b", response.GetGatewayInfo()!.Provider);
        Assert.Equal([0, 0], probe.PendingTimersAtCompletion);
    }

    [Fact]
    public async Task TotalTimeout_CountsFromTheGatewayEntry_IncludingTimeSpentBeforeTheRouter()
    {
        var time = new ManualTimeProvider();
        string config = Config.Replace("\"AttemptTimeout\": \"00:00:05\", \"TotalTimeout\": \"00:01:00\"", "\"AttemptTimeout\": \"00:00:30\", \"TotalTimeout\": \"00:00:10\"");
        using TestGateway gateway = TestGateway.Create(config, time, b => b.UseMiddleware((inner, _) => new ClockAdvancingClient(inner, time, TimeSpan.FromSeconds(4))));
        gateway.Fakes["a"].Hang();

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(5.9));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        // 4 s went by in the app's middleware, so the first attempt had the 6 s left of TotalTimeout, not 10 s.
        await Wait.UntilAsync(() => call.IsCompleted, "the request ran out of TotalTimeout");
        var error = await Assert.ThrowsAsync<ProviderException>(() => call);
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.Contains("TotalTimeout", error.Message, StringComparison.Ordinal);
        Assert.Empty(gateway.Fakes["b"].Requests);
    }

    [Fact]
    public async Task NonStreamed_ProviderReturningNull_IsAnInvalidResponseAndTheNextDeploymentAnswers()
    {
        using TestGateway gateway = TestGateway.Create(
            Config.Replace("\"a\": { \"Type\": \"fake\" }", "\"a\": { \"Type\": \"null\" }"),
            new ManualTimeProvider(),
            b => b.AddProviderType("null", (_, _) => new NullAnsweringClient()),
            fakes: false);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal([ProviderErrorKind.InvalidResponse, null], response.GetGatewayInfo()!.Attempts.Select(a => a.ErrorKind));
        Assert.Equal("b", response.GetGatewayInfo()!.Provider);
    }

    private static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    /// <summary>Streams one chunk, then waits on the clock until cancelled.</summary>
    private sealed class StallingStreamClient(TimeProvider time) : IChatClient
    {
        public volatile bool Stalled;
        public volatile bool Disposed;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, "Hello");
                Stalled = true;
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
                yield return new ChatResponseUpdate(ChatRole.Assistant, " never");
            }
            finally
            {
                Disposed = true;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class PendingTimersProbe(ManualTimeProvider time) : AttemptObserver
    {
        public List<int> PendingTimersAtCompletion { get; } = [];

        public override void OnAttemptCompleted(GatewayRequestContext context, in AttemptInfo attempt, object? state, in AttemptOutcome outcome) =>
            PendingTimersAtCompletion.Add(time.PendingTimers);
    }

    private sealed class NullAnsweringClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<ChatResponse>(null!);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class ClockAdvancingClient(IChatClient inner, ManualTimeProvider time, TimeSpan spent) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            time.Advance(spent);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
