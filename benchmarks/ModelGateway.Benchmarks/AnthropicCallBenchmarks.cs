using Anthropic;
using Anthropic.Models.Messages;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;

namespace ModelGateway.Benchmarks;

/// <summary>
/// One non-streaming Messages call, the same recorded answer from the same in-memory handler: the official Anthropic
/// SDK (baseline), the gateway's Anthropic provider on its own, and the whole gateway.
/// </summary>
[Config(typeof(WarmShortConfig))]
public class AnthropicCallBenchmarks
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
        _handler = new FixedResponseHandler(RecordedResponses.AnthropicMessage, eventStream: false);
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
        Message message = await _sdk.Messages.Create(_sdkParams).ConfigureAwait(false);
        int total = (int)message.Usage.OutputTokens;
        foreach (ContentBlock block in message.Content)
        {
            if (block.TryPickText(out TextBlock? text))
            {
                total += text.Text.Length;
            }
        }

        return total;
    }

    [Benchmark(Description = "Anthropic provider, direct")]
    public async Task<int> ProviderDirect()
    {
        ChatResponse response = await _host.Direct.GetResponseAsync(_messages, _directOptions).ConfigureAwait(false);
        return response.Text.Length + (int)(response.Usage?.OutputTokenCount ?? 0);
    }

    [Benchmark(Description = "gateway, full pipeline")]
    public async Task<int> GatewayFullPipeline()
    {
        ChatResponse response = await _host.Gateway.GetResponseAsync(_messages, _gatewayOptions).ConfigureAwait(false);
        return response.Text.Length + (int)(response.Usage?.OutputTokenCount ?? 0);
    }
}
