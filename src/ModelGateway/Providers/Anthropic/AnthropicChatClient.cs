using System.Buffers;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Anthropic;

/// <summary>
/// The <c>anthropic</c> provider type: the Messages API (<c>POST {BaseUrl}/v1/messages</c>), plain and streamed.
/// </summary>
internal sealed class AnthropicChatClient : ProviderChatClient
{
    public const string TypeName = "anthropic";
    public const string DefaultBaseUrl = "https://api.anthropic.com";
    public const string DefaultApiVersion = "2023-06-01";
    public const string ApiKeyEnvironmentVariable = "ANTHROPIC_API_KEY";

    private static readonly string[] _rateLimitFamilies = ["requests", "tokens", "input-tokens", "output-tokens"];

    private readonly HttpClient _httpClient;
    private readonly ProviderOptions _options;
    private readonly Func<HttpResponseMessage, string, CancellationToken, Task<ProviderException>> _readError;
    private readonly TimeProvider _timeProvider;
    private readonly Uri _messagesUri;
    private readonly string? _apiKey;
    private readonly string _apiVersion;

    public AnthropicChatClient(HttpClient httpClient, ProviderOptions options, TimeProvider timeProvider)
        : base(new ChatClientMetadata(TypeName, new Uri(BaseUrl(options), UriKind.Absolute), defaultModelId: null))
    {
        _httpClient = httpClient;
        _options = options;
        _readError = ErrorAsync;
        _timeProvider = timeProvider;
        _messagesUri = new Uri(BaseUrl(options).TrimEnd('/') + "/v1/messages", UriKind.Absolute);
        // A configured bearer token beats the environment's API key; a configured API key beats both.
        _apiKey = !string.IsNullOrEmpty(options.ApiKey) ? options.ApiKey
            : options.TokenProvider is not null || !string.IsNullOrEmpty(options.AccessToken) ? null
            : ProviderHttp.OptionOrEnvironment(null, ApiKeyEnvironmentVariable);
        _apiVersion = string.IsNullOrEmpty(options.ApiVersion) ? DefaultApiVersion : options.ApiVersion;
    }

    private static string BaseUrl(ProviderOptions options) => string.IsNullOrEmpty(options.BaseUrl) ? DefaultBaseUrl : options.BaseUrl;

    public static IChatClient Create(IServiceProvider services, ProviderOptions options) =>
        new AnthropicChatClient(ProviderHttp.CreateClient(services, options), options, services.GetService<TimeProvider>() ?? TimeProvider.System);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string model = RequireModel(options);
        using HttpResponseMessage response = await SendAsync(messages, options, model, stream: false, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, model, cancellationToken).ConfigureAwait(false);
        }

        AnthropicMessageResponse message = await ChatWire.ReadJsonAsync(response, AnthropicJsonContext.Default.AnthropicMessageResponse, _options, model, cancellationToken).ConfigureAwait(false);
        if (message.Type == "error")
        {
            throw Fail(ProviderErrorKind.InvalidResponse, model, $"Anthropic provider '{_options.Name}' answered {(int)response.StatusCode} with an error body.", (int)response.StatusCode);
        }

        return AnthropicResponseMapper.ToChatResponse(message, model);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string model = RequireModel(options);
        // Disposing the response closes the connection at once when the caller stops enumerating early.
        using HttpResponseMessage response = await SendAsync(messages, options, model, stream: true, cancellationToken).ConfigureAwait(false);
        IAsyncEnumerator<SseItem<AnthropicStreamItem>> events = await ChatWire.OpenEventsAsync(response, AnthropicStreamReader.Parser, _readError, model, cancellationToken).ConfigureAwait(false);
        await using (events.ConfigureAwait(false))
        {
            var state = new StreamState { ModelId = model };
            while (await ChatWire.MoveNextAsync(events, _options, model, cancellationToken).ConfigureAwait(false))
            {
                AnthropicStreamItem item = events.Current.Data;
                if (item.IsDelta)
                {
                    // A text or thinking delta read without wire objects: the same content the general path maps.
                    if (!string.IsNullOrEmpty(item.Text))
                    {
                        yield return state.Update(item.IsThinking ? new TextReasoningContent(item.Text) : new TextContent(item.Text));
                    }

                    continue;
                }

                AnthropicStreamEvent? streamEvent = item.Event;
                if (streamEvent is null)
                {
                    continue;
                }

                switch (streamEvent.Type)
                {
                    case "message_start":
                        state.Start(streamEvent.Message);
                        break;

                    case "content_block_start":
                        if (state.StartBlock(streamEvent.ContentBlock) is { } startContent)
                        {
                            yield return state.Update(startContent);
                        }

                        break;

                    case "content_block_delta":
                        if (state.Delta(streamEvent.Delta) is { } deltaContent)
                        {
                            yield return state.Update(deltaContent);
                        }

                        break;

                    case "content_block_stop":
                        if (state.StopBlock() is { } call)
                        {
                            yield return state.Update(call);
                        }

                        break;

                    case "message_delta":
                        state.MessageDelta(streamEvent);
                        break;

                    case "message_stop":
                        yield return state.Final();
                        yield break;

                    case "error":
                        throw StreamError(streamEvent.Error, model);

                    // ping, and event types newer than this client.
                    default:
                        break;
                }
            }

            throw ChatWire.Truncated(_options, model);
        }
    }


    internal static ProviderErrorKind Classify(int? status, string? errorType, string? message)
    {
        ProviderErrorKind kind = status is { } code ? ProviderHttp.KindFromStatus(code) : ProviderErrorKind.Unknown;
        if (kind == ProviderErrorKind.Unknown)
        {
            kind = errorType switch
            {
                "invalid_request_error" or "request_too_large" => ProviderErrorKind.BadRequest,
                "authentication_error" or "permission_error" or "billing_error" => ProviderErrorKind.Authentication,
                "not_found_error" => ProviderErrorKind.NotFound,
                "rate_limit_error" => ProviderErrorKind.RateLimited,
                "overloaded_error" or "api_error" => ProviderErrorKind.Unavailable,
                "timeout_error" => ProviderErrorKind.Timeout,
                _ => ProviderErrorKind.Unknown,
            };
        }

        if (kind == ProviderErrorKind.BadRequest && message is not null
            && (message.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase)
                || message.Contains("exceed context limit", StringComparison.OrdinalIgnoreCase)))
        {
            kind = ProviderErrorKind.ContextWindowExceeded;
        }

        return kind;
    }

    private static string RequireModel(ChatOptions? options) =>
        options?.ModelId is { Length: > 0 } model
            ? model
            : throw new ProviderException(ProviderErrorKind.BadRequest, "ChatOptions.ModelId must name the Anthropic model.");

    private async ValueTask<HttpResponseMessage> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(body))
        {
            AnthropicRequestWriter.Write(writer, messages, options, model, stream);
        }

        using HttpRequestMessage request = ChatWire.CreateJsonRequest(_messagesUri, body.WrittenMemory, _options);
        request.Headers.TryAddWithoutValidation("anthropic-version", _apiVersion);
        if (!string.IsNullOrEmpty(_options.Beta))
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", _options.Beta);
        }

        if (_apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);
        }
        else if (_options.TokenProvider is { } tokenProvider)
        {
            string token = await tokenProvider(cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        else if (!string.IsNullOrEmpty(_options.AccessToken))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _options.AccessToken);
        }
        else
        {
            throw Fail(ProviderErrorKind.Authentication, model, $"Anthropic provider '{_options.Name}' has no API key: set ApiKey or {ApiKeyEnvironmentVariable}.");
        }

        return await ChatWire.SendAsync(_httpClient, request, _options, model, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProviderException> ErrorAsync(HttpResponseMessage response, string model, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        byte[] body = await ChatWire.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        AnthropicErrorDetail? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body, AnthropicJsonContext.Default.AnthropicErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            // Not Anthropic's JSON (a proxy's HTML page, say): the status alone classifies it.
        }

        ProviderErrorKind kind = Classify(status, error?.Type, error?.Message);
        TimeSpan? retryAfter = ProviderHttp.ReadRetryAfter(response, _timeProvider)
            ?? (kind == ProviderErrorKind.RateLimited ? RateLimitReset(response) : null);
        string detail = error?.Message is { } text ? ProviderHttp.Excerpt(text) : ProviderHttp.Excerpt(body);
        string message = error?.Type is { } type
            ? $"Anthropic provider '{_options.Name}' answered {status} {type}: {detail}"
            : $"Anthropic provider '{_options.Name}' answered {status}: {detail}";
        return Fail(kind, model, message, status, error?.Type, retryAfter);
    }

    private ProviderException StreamError(AnthropicErrorDetail? error, string model)
    {
        ProviderErrorKind kind = Classify(status: null, error?.Type, error?.Message);
        string detail = error?.Message is { } text ? ProviderHttp.Excerpt(text) : "(no message)";
        return Fail(kind, model, $"Anthropic provider '{_options.Name}' sent an error event mid-stream, {error?.Type ?? "unknown"}: {detail}", statusCode: null, error?.Type);
    }

    // Without retry-after, the latest reset of the limits that are used up (anthropic-ratelimit-*-remaining: 0) is when a retry can succeed.
    private TimeSpan? RateLimitReset(HttpResponseMessage response)
    {
        DateTimeOffset? latest = null;
        foreach (string family in _rateLimitFamilies)
        {
            if (ProviderHttp.TryGetFirst(response.Headers, "anthropic-ratelimit-" + family + "-remaining", out string? remaining)
                && remaining == "0"
                && ProviderHttp.TryGetFirst(response.Headers, "anthropic-ratelimit-" + family + "-reset", out string? reset)
                && DateTimeOffset.TryParse(reset, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
                && (latest is null || at > latest))
            {
                latest = at;
            }
        }

        if (latest is not { } when)
        {
            return null;
        }

        TimeSpan wait = when - _timeProvider.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private ProviderException Fail(ProviderErrorKind kind, string model, string message, int? statusCode = null, string? errorCode = null, TimeSpan? retryAfter = null) =>
        ChatWire.Failure(kind, _options, model, ProviderHttp.Redact(message, _apiKey), statusCode, errorCode, retryAfter);

    /// <summary>What a stream has said so far: the message, the open content block, the stop reason and usage.</summary>
    private sealed class StreamState
    {
        private readonly StringBuilder _toolInput = new();
        private string? _blockType;
        private AnthropicContentBlock? _block;
        private string? _stopReason;
        private long? _inputTokens;
        private long? _outputTokens;
        private long? _cacheRead;
        private long? _cacheCreation;

        public string? MessageId { get; private set; }

        public required string ModelId { get; set; }

        public void Start(AnthropicMessageResponse? message)
        {
            if (message is null)
            {
                return;
            }

            MessageId = message.Id;
            ModelId = message.Model ?? ModelId;
            AddUsage(message.Usage);
        }

        public AIContent? StartBlock(AnthropicContentBlock? block)
        {
            _block = block;
            _blockType = block?.Type;
            _toolInput.Clear();
            return _blockType switch
            {
                "text" when !string.IsNullOrEmpty(block!.Text) => new TextContent(block.Text),
                "thinking" when !string.IsNullOrEmpty(block!.Thinking) => new TextReasoningContent(block.Thinking),
                "redacted_thinking" => new TextReasoningContent(string.Empty) { ProtectedData = block!.Data },
                _ => null,
            };
        }

        public AIContent? Delta(AnthropicStreamDelta? delta)
        {
            switch (delta?.Type)
            {
                case "text_delta" when !string.IsNullOrEmpty(delta.Text):
                    return new TextContent(delta.Text);
                case "thinking_delta" when !string.IsNullOrEmpty(delta.Thinking):
                    return new TextReasoningContent(delta.Thinking);
                case "signature_delta":
                    // Sent once, at the end of a thinking block; ToChatResponse merges it onto the block's text.
                    return new TextReasoningContent(string.Empty) { ProtectedData = delta.Signature };
                case "input_json_delta":
                    _toolInput.Append(delta.PartialJson);
                    return null;
                default:
                    return null;
            }
        }

        public FunctionCallContent? StopBlock()
        {
            if (_blockType != "tool_use" || _block is not { } block)
            {
                return null;
            }

            _blockType = null;
            string id = block.Id ?? string.Empty;
            string name = block.Name ?? string.Empty;
            if (_toolInput.Length == 0 && ChatWire.ArgumentsFrom(block.Input) is { Count: > 0 } startInput)
            {
                return new FunctionCallContent(id, name, startInput);
            }

            return ChatWire.CallFromJsonText(id, name, _toolInput.ToString());
        }

        public void MessageDelta(AnthropicStreamEvent streamEvent)
        {
            _stopReason = streamEvent.Delta?.StopReason ?? _stopReason;
            AddUsage(streamEvent.Usage);
        }

        public ChatResponseUpdate Update(AIContent content) => new(ChatRole.Assistant, [content])
        {
            ResponseId = MessageId,
            MessageId = MessageId,
            ModelId = ModelId,
        };

        public ChatResponseUpdate Final()
        {
            var contents = new List<AIContent>(1);
            if (_inputTokens is not null || _outputTokens is not null)
            {
                contents.Add(new UsageContent(AnthropicResponseMapper.ToUsage(_inputTokens, _outputTokens, _cacheRead, _cacheCreation)));
            }

            return new ChatResponseUpdate(ChatRole.Assistant, contents)
            {
                ResponseId = MessageId,
                MessageId = MessageId,
                ModelId = ModelId,
                FinishReason = AnthropicResponseMapper.FinishReason(_stopReason),
            };
        }

        // message_delta repeats counts cumulatively (output always, the others on newer API versions): the latest value wins.
        private void AddUsage(AnthropicUsage? usage)
        {
            if (usage is null)
            {
                return;
            }

            _inputTokens = usage.InputTokens ?? _inputTokens;
            _outputTokens = usage.OutputTokens ?? _outputTokens;
            _cacheRead = usage.CacheReadInputTokens ?? _cacheRead;
            _cacheCreation = usage.CacheCreationInputTokens ?? _cacheCreation;
        }
    }
}
