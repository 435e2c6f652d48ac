using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;
using OpenAI.Chat;

namespace ModelGateway.Benchmarks;

/// <summary>
/// One non-streaming Chat Completions call, the same recorded answer from the same in-memory handler: the official
/// OpenAI SDK (baseline), the gateway's OpenAI provider on its own, and the whole gateway (router with retries armed,
/// cache miss and write, cost, logging at Information and telemetry with listeners attached).
/// </summary>
[Config(typeof(WarmShortConfig))]
public class OpenAICallBenchmarks
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
        _handler = new FixedResponseHandler(RecordedResponses.OpenAIChatCompletion, eventStream: false);
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
        ChatCompletion completion = (await _sdk.CompleteChatAsync(_sdkMessages, _sdkOptions).ConfigureAwait(false)).Value;
        return completion.Content[0].Text.Length + completion.Usage.OutputTokenCount;
    }

    [Benchmark(Description = "OpenAI provider, direct")]
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
