using Anthropic;
using Anthropic.Models.Messages;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;

namespace ModelGateway.Benchmarks;

/// <summary>One streamed Messages call of 200 text deltas; per call (divide by 200 for per chunk).</summary>
[Config(typeof(WarmShortConfig))]
public class AnthropicStreamingBenchmarks
{
    private FixedResponseHandler _handler = null!;
    private GatewayHost _host = null!;
    private AnthropicClient _sdk = null!;
    private MessageCreateParams _sdkParams = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _directOptions = null!;
    private ChatOptions _gatewayOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handler = new FixedResponseHandler(RecordedResponses.AnthropicStream, eventStream: true);
        _host = new GatewayHost("anthropic", RecordedResponses.AnthropicModel, _handler, CacheSetup.AlwaysMiss);
        _sdk = OfficialSdks.Anthropic(_handler);
        _sdkParams = OfficialSdks.AnthropicParams();
        _messages = Conversation.Short();
        _directOptions = new ChatOptions { MaxOutputTokens = Conversation.MaxOutputTokens };
        _directOptions.ModelId = RecordedResponses.AnthropicModel;
        _gatewayOptions = new ChatOptions { MaxOutputTokens = Conversation.MaxOutputTokens };
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true, Description = "official Anthropic SDK")]
    public async Task<int> OfficialSdk()
    {
        int total = 0;
        await foreach (RawMessageStreamEvent streamEvent in _sdk.Messages.CreateStreaming(_sdkParams).ConfigureAwait(false))
        {
            if (streamEvent.TryPickContentBlockDelta(out RawContentBlockDeltaEvent? delta) && delta.Delta.TryPickText(out TextDelta? text))
            {
                total += text.Text.Length;
            }
        }

        return total;
    }

    [Benchmark(Description = "Anthropic provider, direct")]
    public Task<int> ProviderDirect() => Consume(_host.Direct, _directOptions);

    [Benchmark(Description = "gateway, full pipeline")]
    public Task<int> GatewayFullPipeline() => Consume(_host.Gateway, _gatewayOptions);

    private async Task<int> Consume(IChatClient client, ChatOptions options)
    {
        int total = 0;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(_messages, options).ConfigureAwait(false))
        {
            foreach (AIContent content in update.Contents)
            {
                if (content is TextContent text)
                {
                    total += text.Text.Length;
                }
            }
        }

        return total;
    }
}
