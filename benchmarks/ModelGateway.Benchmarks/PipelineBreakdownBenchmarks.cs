using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;

namespace ModelGateway.Benchmarks;

/// <summary>
/// Where the middleware's time goes: the same non-streaming OpenAI call through the provider alone (baseline) and
/// through the gateway set up as <see cref="Setup"/> says: entry and router only, then one concern added at a time, then
/// everything. Trace and metric listeners are process-wide, so each setup gets its own process (a parameter).
/// </summary>
[Config(typeof(WarmShortConfig))]
public class PipelineBreakdownBenchmarks
{
    private GatewayHost _host = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _directOptions = null!;
    private ChatOptions _options = null!;

    public enum Concerns
    {
        /// <summary>Entry and router only: no cache, no trace or metric listener, no logger.</summary>
        Bare,

        /// <summary>Plus the cache stage, missing every time (key, read, serialize, write).</summary>
        CacheMiss,

        /// <summary>Plus a logger enabled at Information (no listeners, no cache).</summary>
        Logging,

        /// <summary>Plus trace and metric listeners (no logger, no cache).</summary>
        Listeners,

        /// <summary>Everything at once: cache miss, logging, listeners.</summary>
        Full,
    }

    [Params(Concerns.Bare, Concerns.CacheMiss, Concerns.Logging, Concerns.Listeners, Concerns.Full)]
    public Concerns Setup { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        var handler = new FixedResponseHandler(RecordedResponses.OpenAIChatCompletion, eventStream: false);
        CacheSetup cache = Setup is Concerns.CacheMiss or Concerns.Full ? CacheSetup.AlwaysMiss : CacheSetup.Disabled;
        _host = new GatewayHost("openai", RecordedResponses.OpenAIModel, handler, cache,
            listeners: Setup is Concerns.Listeners or Concerns.Full,
            logging: Setup is Concerns.Logging or Concerns.Full);
        _messages = Conversation.Short();
        _directOptions = Conversation.Options();
        _directOptions.ModelId = RecordedResponses.OpenAIModel;
        _options = Conversation.Options();
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true, Description = "provider, direct")]
    public Task<int> Direct() => Call(_host.Direct, _directOptions);

    [Benchmark(Description = "gateway")]
    public Task<int> Gateway() => Call(_host.Gateway, _options);

    private async Task<int> Call(IChatClient client, ChatOptions options) =>
        (await client.GetResponseAsync(_messages, options).ConfigureAwait(false)).Text.Length;
}
