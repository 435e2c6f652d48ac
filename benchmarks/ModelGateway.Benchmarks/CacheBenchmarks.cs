using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;
using ModelGateway.Caching;
using ModelGateway.Routing;

namespace ModelGateway.Benchmarks;

/// <summary>
/// Cache hits through the whole gateway (telemetry and logging on) over the in-memory <c>IDistributedCache</c>, for a
/// short prompt and a 100 KB conversation, against the provider call a hit saves (baseline); the short-prompt hit again
/// with nothing listening (no trace or metric listener, logging off: what the cache itself costs, measured in its own
/// process because listeners are process-wide); and the cache key alone for the 100 KB conversation (MB/s =
/// conversation bytes / mean time).
/// </summary>
[Config(typeof(WarmShortConfig))]
public class CacheBenchmarks
{
    public const int LongConversationBytes = 100 * 1024;

    private GatewayHost _host = null!;
    private List<ChatMessage> _short = null!;
    private List<ChatMessage> _long = null!;
    private ChatOptions _options = null!;
    private ChatOptions _directOptions = null!;
    private ChatOptions _keyOptions = null!;
    private ModelGroup _group = null!;

    [GlobalSetup(Targets = [nameof(ProviderCall), nameof(HitShortPrompt), nameof(HitLongConversation), nameof(KeyLongConversation)])]
    public void Setup() => Setup(observed: true);

    [GlobalSetup(Target = nameof(HitShortPromptUnobserved))]
    public void SetupUnobserved() => Setup(observed: false);

    private void Setup(bool observed)
    {
        var handler = new FixedResponseHandler(RecordedResponses.OpenAIChatCompletion, eventStream: false);
        _host = new GatewayHost("openai", RecordedResponses.OpenAIModel, handler, CacheSetup.InMemory, listeners: observed, logging: observed);
        _short = Conversation.Short();
        _long = Conversation.Long(LongConversationBytes);
        _options = Conversation.Options();
        _directOptions = Conversation.Options();
        _directOptions.ModelId = RecordedResponses.OpenAIModel;
        _keyOptions = Conversation.Options();
        _keyOptions.ModelId = "chat";
        _group = _host.Runtime.Table.Resolve("chat");

        // Fill the cache: from here on both conversations are hits.
        Prime(_short);
        Prime(_long);
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true, Description = "provider call (what a hit saves)")]
    public async Task<int> ProviderCall() => (await _host.Direct.GetResponseAsync(_short, _directOptions).ConfigureAwait(false)).Text.Length;

    [Benchmark(Description = "cache hit, short prompt")]
    public async Task<int> HitShortPrompt() => (await _host.Gateway.GetResponseAsync(_short, _options).ConfigureAwait(false)).Text.Length;

    [Benchmark(Description = "cache hit, short prompt, nothing listening")]
    public async Task<int> HitShortPromptUnobserved() => (await _host.Gateway.GetResponseAsync(_short, _options).ConfigureAwait(false)).Text.Length;

    [Benchmark(Description = "cache hit, 100 KB conversation")]
    public async Task<int> HitLongConversation() => (await _host.Gateway.GetResponseAsync(_long, _options).ConfigureAwait(false)).Text.Length;

    [Benchmark(Description = "cache key, 100 KB conversation")]
    public int KeyLongConversation() => CacheKeyBuilder.TryBuild(_group, CacheScope.Global, null, _long, _keyOptions)!.Length;

    private void Prime(List<ChatMessage> messages)
    {
        ChatResponse first = _host.Gateway.GetResponseAsync(messages, _options).GetAwaiter().GetResult();
        ChatResponse second = _host.Gateway.GetResponseAsync(messages, _options).GetAwaiter().GetResult();
        if (first.GetGatewayInfo()?.CacheHit != false || second.GetGatewayInfo()?.CacheHit != true)
        {
            throw new InvalidOperationException("The cache did not answer the second identical call.");
        }
    }
}
