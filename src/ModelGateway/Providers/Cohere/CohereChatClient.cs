using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Cohere;

/// <summary>The <c>cohere</c> provider type: Chat v2 (<c>POST {BaseUrl}/v2/chat</c>), plain and streamed.</summary>
internal sealed class CohereChatClient : ProviderChatClient
{
    public const string TypeName = "cohere";
    public const string DefaultBaseUrl = "https://api.cohere.com";

    private readonly HttpClient _httpClient;
    private readonly ProviderOptions _options;
    private readonly Func<HttpResponseMessage, string, CancellationToken, Task<ProviderException>> _readError;
    private readonly TimeProvider _timeProvider;
    private readonly Uri _chatUri;
    private readonly string? _apiKey;

    public CohereChatClient(HttpClient httpClient, ProviderOptions options, TimeProvider timeProvider)
        : base(new ChatClientMetadata(TypeName, new Uri(BaseUrl(options), UriKind.Absolute), defaultModelId: null))
    {
        _httpClient = httpClient;
        _options = options;
        _readError = ErrorAsync;
        _timeProvider = timeProvider;
        _chatUri = new Uri(BaseUrl(options).TrimEnd('/') + "/v2/chat", UriKind.Absolute);
        _apiKey = ProviderHttp.OptionOrEnvironment(options.ApiKey, "COHERE_API_KEY") ?? ProviderHttp.OptionOrEnvironment(null, "CO_API_KEY");
    }

    private static string BaseUrl(ProviderOptions options) => string.IsNullOrEmpty(options.BaseUrl) ? DefaultBaseUrl : options.BaseUrl;

    public static IChatClient Create(IServiceProvider services, ProviderOptions options) =>
        new CohereChatClient(ProviderHttp.CreateClient(services, options), options, services.GetService<TimeProvider>() ?? TimeProvider.System);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string model = RequireModel(options);
        using HttpResponseMessage response = await SendAsync(messages, options, model, stream: false, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, model, cancellationToken).ConfigureAwait(false);
        }

        CohereChatResponse body = await ChatWire.ReadJsonAsync(response, CohereJsonContext.Default.CohereChatResponse, _options, model, cancellationToken).ConfigureAwait(false);
        var contents = new List<AIContent>();
        if (body.Message is { } message)
        {
            if (message.Content is { } items)
            {
                foreach (CohereContentItem item in items)
                {
                    if (ToContent(item) is { } content)
                    {
                        contents.Add(content);
                    }
                }
            }

            if (!string.IsNullOrEmpty(message.ToolPlan))
            {
                contents.Add(new TextContent(message.ToolPlan));
            }

            if (message.ToolCalls is { } calls)
            {
                foreach (CohereToolCall call in calls)
                {
                    contents.Add(ChatWire.CallFromJsonText(call.Id ?? string.Empty, call.Function?.Name ?? string.Empty, call.Function?.Arguments ?? string.Empty));
                }
            }
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = body.Id })
        {
            ResponseId = body.Id,
            ModelId = model,
            FinishReason = FinishReason(body.FinishReason),
            Usage = body.Usage is { } usage ? ToUsage(usage) : null,
            RawRepresentation = body,
        };
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string model = RequireModel(options);
        // Disposing the response closes the connection at once when the caller stops enumerating early.
        using HttpResponseMessage response = await SendAsync(messages, options, model, stream: true, cancellationToken).ConfigureAwait(false);
        IAsyncEnumerator<SseItem<CohereStreamEvent?>> events = await ChatWire.OpenEventsAsync(response, ParseEvent, _readError, model, cancellationToken).ConfigureAwait(false);
        await using (events.ConfigureAwait(false))
        {
            string? responseId = null;
            string? callId = null;
            string? callName = null;
            var arguments = new StringBuilder();
            while (await ChatWire.MoveNextAsync(events, _options, model, cancellationToken).ConfigureAwait(false))
            {
                if (events.Current.Data is not { } streamEvent)
                {
                    continue;
                }

                CohereStreamMessage? fragment = streamEvent.Delta?.Message;
                AIContent? content = null;
                switch (streamEvent.Type)
                {
                    case "message-start":
                        responseId = streamEvent.Id ?? responseId;
                        break;

                    case "content-start":
                    case "content-delta":
                        content = fragment is null ? null : ToContent(fragment.Content);
                        break;

                    case "tool-plan-delta":
                        content = string.IsNullOrEmpty(fragment?.ToolPlan) ? null : new TextContent(fragment.ToolPlan);
                        break;

                    case "tool-call-start":
                        JsonElement started = fragment?.ToolCalls ?? default;
                        callId = String(started, "id");
                        callName = String(Property(started, "function"), "name");
                        arguments.Clear().Append(String(Property(started, "function"), "arguments"));
                        break;

                    case "tool-call-delta":
                        arguments.Append(String(Property(fragment?.ToolCalls ?? default, "function"), "arguments"));
                        break;

                    case "tool-call-end":
                        content = ChatWire.CallFromJsonText(callId ?? string.Empty, callName ?? string.Empty, arguments.ToString());
                        break;

                    case "message-end":
                        CohereStreamDelta? end = streamEvent.Delta;
                        yield return new ChatResponseUpdate(ChatRole.Assistant, end?.Usage is { } usage ? [new UsageContent(ToUsage(usage))] : [])
                        {
                            ResponseId = responseId,
                            MessageId = responseId,
                            ModelId = model,
                            FinishReason = FinishReason(end?.FinishReason),
                        };
                        yield break;

                    // content-end, citation-*, debug and newer events carry nothing this client maps.
                    default:
                        break;
                }

                if (content is not null)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, [content]) { ResponseId = responseId, MessageId = responseId, ModelId = model };
                }
            }

            throw ChatWire.Truncated(_options, model);
        }
    }


    internal static ProviderErrorKind Classify(int status, string? message)
    {
        ProviderErrorKind kind = status switch
        {
            // 498: invalid or expired token.
            498 => ProviderErrorKind.Authentication,
            _ => ProviderHttp.KindFromStatus(status),
        };

        if (kind == ProviderErrorKind.BadRequest && message is not null && message.Contains("too many tokens", StringComparison.OrdinalIgnoreCase))
        {
            kind = ProviderErrorKind.ContextWindowExceeded;
        }

        return kind;
    }

    private static AIContent? ToContent(CohereContentItem item) =>
        !string.IsNullOrEmpty(item.Thinking) ? new TextReasoningContent(item.Thinking)
        : !string.IsNullOrEmpty(item.Text) ? new TextContent(item.Text)
        : null;

    private static AIContent? ToContent(JsonElement item) =>
        String(item, "thinking") is { Length: > 0 } thinking ? new TextReasoningContent(thinking)
        : String(item, "text") is { Length: > 0 } text ? new TextContent(text)
        : null;

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : default;

    private static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static ChatFinishReason? FinishReason(string? finishReason) => finishReason switch
    {
        null => null,
        "COMPLETE" or "STOP_SEQUENCE" => ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "TOOL_CALL" => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(finishReason),
    };

    /// <summary>Uses the tokens the model processed; the billed units (which can be fewer) only when those are absent.</summary>
    private static UsageDetails ToUsage(CohereUsage usage)
    {
        CohereTokenCounts? counts = usage.Tokens ?? usage.BilledUnits;
        long input = (long)(counts?.InputTokens ?? 0);
        long output = (long)(counts?.OutputTokens ?? 0);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    private static CohereStreamEvent? ParseEvent(string eventType, ReadOnlySpan<byte> data) =>
        ChatWire.IsDone(data) ? null : JsonSerializer.Deserialize(data, CohereJsonContext.Default.CohereStreamEvent);

    private static string RequireModel(ChatOptions? options) =>
        options?.ModelId is { Length: > 0 } model
            ? model
            : throw new ProviderException(ProviderErrorKind.BadRequest, "ChatOptions.ModelId must name the Cohere model.");

    private async ValueTask<HttpResponseMessage> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream, CancellationToken cancellationToken)
    {
        if (_apiKey is null)
        {
            throw Fail(ProviderErrorKind.Authentication, model, $"Cohere provider '{_options.Name}' has no API key: set ApiKey, COHERE_API_KEY or CO_API_KEY.");
        }

        var body = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(body))
        {
            CohereRequestWriter.Write(writer, messages, options, model, stream);
        }

        using HttpRequestMessage request = ChatWire.CreateJsonRequest(_chatUri, body.WrittenMemory, _options);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        if (stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return await ChatWire.SendAsync(_httpClient, request, _options, model, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProviderException> ErrorAsync(HttpResponseMessage response, string model, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        byte[] body = await ChatWire.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        string? errorMessage = null;
        try
        {
            errorMessage = JsonSerializer.Deserialize(body, CohereJsonContext.Default.CohereErrorResponse)?.Message;
        }
        catch (JsonException)
        {
            // Not Cohere's JSON (a proxy's HTML page, say): the status alone classifies it.
        }

        ProviderErrorKind kind = Classify(status, errorMessage);
        string detail = errorMessage is not null ? ProviderHttp.Excerpt(errorMessage) : ProviderHttp.Excerpt(body);
        return Fail(kind, model, $"Cohere provider '{_options.Name}' answered {status}: {detail}", status, retryAfter: ProviderHttp.ReadRetryAfter(response, _timeProvider));
    }

    private ProviderException Fail(ProviderErrorKind kind, string model, string message, int? statusCode = null, TimeSpan? retryAfter = null) =>
        ChatWire.Failure(kind, _options, model, ProviderHttp.Redact(message, _apiKey), statusCode, errorCode: null, retryAfter);
}
