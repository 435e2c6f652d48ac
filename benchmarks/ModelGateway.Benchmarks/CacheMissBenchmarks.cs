using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;

namespace ModelGateway.Benchmarks;

/// <summary>
/// What the response cache adds on a miss, isolated: the gateway with entry and router only (no listeners, no logger),
/// without the cache stage and with it over a store that always misses, for a non-streaming OpenAI call and a streamed
/// one of 200 chunks (per chunk = ÷ 200). The difference between the two setups is the cache's own cost.
/// </summary>
[Config(typeof(WarmShortConfig))]
public class CacheMissBenchmarks
{
    private GatewayHost _host = null!;
    private GatewayHost _streamingHost = null!;
    private OpenAIStreamingBenchmarks _consumer = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;

    public enum CacheStage
    {
        /// <summary>No cache stage.</summary>
        Off,

        /// <summary>The cache stage over a store that never has the entry: key, read, flight, serialize, write.</summary>
        AlwaysMiss,
    }

    [Params(CacheStage.Off, CacheStage.AlwaysMiss)]
    public CacheStage Cache { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        CacheSetup cache = Cache == CacheStage.AlwaysMiss ? CacheSetup.AlwaysMiss : CacheSetup.Disabled;
        _host = new GatewayHost("openai", RecordedResponses.OpenAIModel,
            new FixedResponseHandler(RecordedResponses.OpenAIChatCompletion, eventStream: false), cache, listeners: false, logging: false);
        _streamingHost = new GatewayHost("openai", RecordedResponses.OpenAIModel,
            new FixedResponseHandler(RecordedResponses.OpenAIStream, eventStream: true), cache, listeners: false, logging: false);
        _consumer = new OpenAIStreamingBenchmarks();
        _consumer.Setup();
        _messages = Conversation.Short();
        _options = Conversation.Options();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        _streamingHost.Dispose();
        _consumer.Cleanup();
    }

    [Benchmark(Description = "non-streaming call")]
    public async Task<int> Call() => (await _host.Gateway.GetResponseAsync(_messages, _options).ConfigureAwait(false)).Text.Length;

    [Benchmark(Description = "streamed call, 200 chunks")]
    public Task<int> Stream() => _consumer.Consume(_streamingHost.Gateway, _options);
}
