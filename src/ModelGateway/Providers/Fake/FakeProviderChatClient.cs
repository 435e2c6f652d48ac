using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Fake;

/// <summary>
/// The <c>fake</c> provider type: canned or echoed answers, a failure rate and latency, configured with no code.
/// It is the zero-key default of the samples; for scripted tests use <c>ModelGateway.Testing.FakeChatClient</c>.
/// </summary>
internal sealed class FakeProviderChatClient : ProviderChatClient
{
    private readonly ProviderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly string[] _responses;
    private int _next = -1;

    public FakeProviderChatClient(ProviderOptions options, TimeProvider timeProvider, Random? random = null)
        : base(new ChatClientMetadata("fake", providerUri: null, defaultModelId: null))
    {
        _options = options;
        _timeProvider = timeProvider;
        _random = random ?? new Random();
        _responses = [.. options.Responses];
    }

    public static IChatClient Create(IServiceProvider services, ProviderOptions options) =>
        new FakeProviderChatClient(options, services.GetService<TimeProvider>() ?? TimeProvider.System);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string prompt = LastUserText(messages);
        await SimulateAsync(options, cancellationToken).ConfigureAwait(false);
        string text = NextAnswer(prompt);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = options?.ModelId,
            FinishReason = ChatFinishReason.Stop,
            ResponseId = Guid.NewGuid().ToString("N"),
            CreatedAt = _timeProvider.GetUtcNow(),
            Usage = Usage(prompt, text),
        };
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string prompt = LastUserText(messages);
        await SimulateAsync(options, cancellationToken).ConfigureAwait(false);
        string text = NextAnswer(prompt);
        string responseId = Guid.NewGuid().ToString("N");

        // Word by word, keeping the separators, so the joined chunks equal the answer exactly.
        int start = 0;
        while (start < text.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int space = text.IndexOf(' ', start + 1);
            int end = space < 0 ? text.Length : space;
            yield return new ChatResponseUpdate(ChatRole.Assistant, text[start..end]) { ResponseId = responseId, ModelId = options?.ModelId };
            start = end;
        }

        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = responseId,
            ModelId = options?.ModelId,
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(Usage(prompt, text))],
        };
    }


    private async Task SimulateAsync(ChatOptions? options, CancellationToken cancellationToken)
    {
        if (_options.Latency is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        double draw;
        lock (_random)
        {
            draw = _random.NextDouble();
        }

        if (draw < _options.FailureRate)
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, $"Fake provider '{_options.Name}' simulated an outage (FailureRate {_options.FailureRate}).")
            {
                Provider = _options.Name,
                ProviderModel = options?.ModelId,
                StatusCode = 503,
            };
        }
    }

    private string NextAnswer(string prompt)
    {
        if (_options.Echo || _responses.Length == 0)
        {
            return prompt.Length == 0 ? "(empty prompt)" : prompt;
        }

        uint index = (uint)Interlocked.Increment(ref _next);
        return _responses[index % (uint)_responses.Length];
    }

    private UsageDetails Usage(string prompt, string answer)
    {
        long input = _options.Usage.InputTokens ?? EstimateTokens(prompt);
        long output = _options.Usage.OutputTokens ?? EstimateTokens(answer);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    // About four characters a token, the usual rule of thumb for English text.
    private static long EstimateTokens(string text) => text.Length == 0 ? 0 : (text.Length + 3) / 4;

    private static string LastUserText(IEnumerable<ChatMessage> messages)
    {
        ChatMessage? last = null;
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                last = message;
            }
        }

        return last?.Text ?? string.Empty;
    }
}
