using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Benchmarks.Fixtures;
using ModelGateway.Providers.Bedrock;

namespace ModelGateway.Benchmarks;

/// <summary>
/// Parsing throughput on large recorded streams (<see cref="Chunks"/> deltas each): the framing alone (SSE through
/// System.Net.ServerSentEvents; AWS event-stream frames with both CRCs through the Bedrock reader) and the whole
/// provider stream (framing, JSON and <see cref="ChatResponseUpdate"/>s) through the same in-memory handler.
/// </summary>
[Config(typeof(ParsingConfig))]
public class ParsingBenchmarks
{
    public const int Chunks = 20_000;

    private static readonly byte[] s_openAI = RecordedResponses.BuildOpenAIStream(Chunks);
    private static readonly byte[] s_anthropic = RecordedResponses.BuildAnthropicStream(Chunks);
    private static readonly byte[] s_bedrock = RecordedResponses.BuildBedrockEventStream(Chunks);

    private static readonly SseItemParser<int> s_lengthOnly = static (_, data) => data.Length;

    private GatewayHost _openAIHost = null!;
    private GatewayHost _anthropicHost = null!;
    private IChatClient _bedrock = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _openAIOptions = null!;
    private ChatOptions _anthropicOptions = null!;
    private ChatOptions _bedrockOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _openAIHost = new GatewayHost("openai", RecordedResponses.OpenAIModel, new FixedResponseHandler(s_openAI, eventStream: true), CacheSetup.AlwaysMiss);
        _anthropicHost = new GatewayHost("anthropic", RecordedResponses.AnthropicModel, new FixedResponseHandler(s_anthropic, eventStream: true), CacheSetup.AlwaysMiss);
        _bedrock = BedrockChatClient.Create(
            new ServiceCollection()
                .AddHttpClient("ModelGateway").ConfigurePrimaryHttpMessageHandler(() => new FixedResponseHandler(s_bedrock, new MediaTypeHeaderValue("application/vnd.amazon.eventstream")))
                .Services.BuildServiceProvider(),
            new ProviderOptions { Name = "bedrock", Type = "bedrock", Region = "us-east-1", ApiKey = GatewayHost.ApiKey });
        _messages = Conversation.Short();
        _openAIOptions = new ChatOptions { ModelId = RecordedResponses.OpenAIModel };
        _anthropicOptions = new ChatOptions { ModelId = RecordedResponses.AnthropicModel, MaxOutputTokens = Conversation.MaxOutputTokens };
        _bedrockOptions = new ChatOptions { ModelId = "anthropic.claude-3-5-haiku-20241022-v1:0" };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _openAIHost.Dispose();
        _anthropicHost.Dispose();
        _bedrock.Dispose();
    }

    public static long BytesPerOperation(string method) => method switch
    {
        nameof(OpenAISseFraming) or nameof(OpenAIProviderStream) => s_openAI.Length,
        nameof(AnthropicSseFraming) or nameof(AnthropicProviderStream) => s_anthropic.Length,
        nameof(BedrockEventStreamFraming) or nameof(BedrockProviderStream) => s_bedrock.Length,
        _ => 0,
    };

    [Benchmark(Description = "SSE framing, OpenAI stream")]
    public Task<long> OpenAISseFraming() => Frame(s_openAI);

    [Benchmark(Description = "OpenAI provider stream")]
    public Task<int> OpenAIProviderStream() => Consume(_openAIHost.Direct, _openAIOptions);

    [Benchmark(Description = "SSE framing, Anthropic stream")]
    public Task<long> AnthropicSseFraming() => Frame(s_anthropic);

    [Benchmark(Description = "Anthropic provider stream")]
    public Task<int> AnthropicProviderStream() => Consume(_anthropicHost.Direct, _anthropicOptions);

    [Benchmark(Description = "event-stream framing + CRC, Bedrock stream")]
    public async Task<long> BedrockEventStreamFraming()
    {
        long total = 0;
        using var reader = new EventStreamReader(new MemoryStream(s_bedrock, writable: false));
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } message)
        {
            total += message.Payload.Length;
        }

        return total;
    }

    [Benchmark(Description = "Bedrock provider stream")]
    public Task<int> BedrockProviderStream() => Consume(_bedrock, _bedrockOptions);

    private static async Task<long> Frame(byte[] body)
    {
        long total = 0;
        await foreach (SseItem<int> item in SseParser.Create(new MemoryStream(body, writable: false), s_lengthOnly).EnumerateAsync().ConfigureAwait(false))
        {
            total += item.Data;
        }

        return total;
    }

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

    private sealed class ParsingConfig : ManualConfig
    {
        public ParsingConfig()
        {
            Add(new WarmShortConfig());
            AddColumn(new ThroughputColumn(BytesPerOperation));
        }
    }
}
