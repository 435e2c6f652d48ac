using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;
using OpenAI.Chat;

namespace ModelGateway.Benchmarks;

/// <summary>
/// One streamed Chat Completions call of 200 content chunks (plus role, finish, usage and [DONE]); times and
/// allocations are per call: divide by 200 for per chunk. Same three clients as <see cref="OpenAICallBenchmarks"/>.
/// </summary>
[Config(typeof(WarmShortConfig))]
public class OpenAIStreamingBenchmarks
{
    private FixedResponseHandler _handler = null!;
    private GatewayHost _host = null!;
    private ChatClient _sdk = null!;
    private List<OpenAI.Chat.ChatMessage> _sdkMessages = null!;
    private ChatCompletionOptions _sdkOptions = null!;
    private List<Microsoft.Extensions.AI.ChatMessage> _messages = null!;
    private ChatOptions _directOptions = null!;
    private ChatOptions _gatewayOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handler = new FixedResponseHandler(RecordedResponses.OpenAIStream, eventStream: true);
        _host = new GatewayHost("openai", RecordedResponses.OpenAIModel, _handler, CacheSetup.AlwaysMiss);
        _sdk = OfficialSdks.OpenAI(_handler);
        _sdkMessages = OfficialSdks.OpenAIMessages();
        _sdkOptions = OfficialSdks.OpenAIOptions();
        _messages = Conversation.Short();
        _directOptions = Conversation.Options();
        _directOptions.ModelId = RecordedResponses.OpenAIModel;
        _gatewayOptions = Conversation.Options();
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true, Description = "official OpenAI SDK")]
    public async Task<int> OfficialSdk()
    {
        int total = 0;
        await foreach (StreamingChatCompletionUpdate update in _sdk.CompleteChatStreamingAsync(_sdkMessages, _sdkOptions).ConfigureAwait(false))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                total += part.Text.Length;
            }
        }

        return total;
    }

    [Benchmark(Description = "OpenAI provider, direct")]
    public Task<int> ProviderDirect() => Consume(_host.Direct, _directOptions);

    [Benchmark(Description = "gateway, full pipeline")]
    public Task<int> GatewayFullPipeline() => Consume(_host.Gateway, _gatewayOptions);

    internal async Task<int> Consume(IChatClient client, ChatOptions options)
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
