using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Buffers;
using ModelGateway.Providers.OpenAI.Wire;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.OpenAI;

/// <summary>
/// The Chat Completions client behind the <c>openai</c>, <c>azure-openai</c>, <c>openai-compatible</c> and preset provider
/// types; an <see cref="OpenAIEndpoint"/> holds what differs between them. Thread-safe: one instance serves every call.
/// </summary>
internal sealed class OpenAIChatClient : ProviderChatClient
{
    private const int ErrorBodyLimit = 64 * 1024;
    private const int ResponseBodyLimit = 256 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly ProviderOptions _options;
    private readonly OpenAIEndpoint _endpoint;
    private readonly TimeProvider _timeProvider;
    private readonly string? _bearerHeader;

    // Request bodies are written through kept JSON writers: a body costs its own byte array and nothing else.
    private readonly ReusePool<PooledJsonWriter> _bodyWriters = new();

    public OpenAIChatClient(HttpClient http, ProviderOptions options, OpenAIEndpoint endpoint, TimeProvider timeProvider)
        : base(new ChatClientMetadata(endpoint.ProviderName, endpoint.ProviderUri, defaultModelId: null))
    {
        _http = http;
        _options = options;
        _endpoint = endpoint;
        _timeProvider = timeProvider;

        // A fixed key makes the same header value on every call: built once rather than per request.
        _bearerHeader = endpoint.AuthScheme == OpenAIAuthScheme.BearerKey ? "Bearer " + endpoint.Credential : null;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string model = RequireModel(options);
        using HttpResponseMessage response = await SendAsync(messages, options, model, stream: false, cancellationToken).ConfigureAwait(false);
        WireChatCompletion completion = await ReadCompletionAsync(response, model, cancellationToken).ConfigureAwait(false);
        if (completion.Error is { } error)
        {
            throw StreamError(error, model, (int)response.StatusCode);
        }

        WireChoice? choice = FirstChoice(completion);
        if (choice is null)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, model, (int)response.StatusCode, null, null, "answered without any choice");
        }

        if (choice.FinishReason == "content_filter")
        {
            throw ContentFiltered(model, (int)response.StatusCode);
        }

        return OpenAIResponseMapper.ToChatResponse(completion, choice);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string model = RequireModel(options);
        HttpResponseMessage response = await SendAsync(messages, options, model, stream: true, cancellationToken).ConfigureAwait(false);
        IAsyncEnumerator<SseItem<OpenAIStreamChunk>>? events = null;
        try
        {
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

            // One reader (and one parser delegate) per stream: it keeps the id and model strings every chunk repeats.
            var reader = new OpenAIStreamReader();
            events = SseParser.Create(body, reader.Parse).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            var toolCalls = new OpenAIToolCallAccumulator();
            StringBuilder? refusal = null;
            bool done = false;
            bool finished = false;

            while (true)
            {
                OpenAIStreamChunk chunk;
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    chunk = events.Current.Data;
                }
                catch (InvalidDataException ex)
                {
                    throw Failure(ProviderErrorKind.InvalidResponse, model, 200, null, ex, $"sent a stream event that is not valid JSON: {ex.Message}");
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    throw Failure(ProviderErrorKind.InvalidResponse, model, 200, null, ex, "cut the stream off before it ended");
                }

                if (chunk.Kind == OpenAIStreamChunkKind.Done)
                {
                    done = true;
                    break;
                }

                if (chunk.Kind == OpenAIStreamChunkKind.Empty)
                {
                    continue;
                }

                string? id, modelId, content, reasoning, refusalDelta, finishReason;
                long? created;
                List<WireToolCall>? fragments;
                WireUsage? usage;
                if (chunk.Full is { } full)
                {
                    if (full.Error is { } error)
                    {
                        throw StreamError(error, model, status: null);
                    }

                    WireChoice? choice = FirstChoice(full);
                    if (choice is null && full.Usage is null)
                    {
                        // Azure opens with a chunk that only carries prompt filter results; nothing to pass on.
                        continue;
                    }

                    WireMessage? delta = choice?.Delta;
                    (id, modelId, created, usage) = (full.Id, full.Model, full.Created, full.Usage);
                    (content, reasoning, refusalDelta, fragments) = (delta?.Content, delta?.ReasoningContent, delta?.Refusal, delta?.ToolCalls);
                    finishReason = choice?.FinishReason;
                }
                else
                {
                    (id, modelId, created, usage) = (chunk.Id, chunk.Model, chunk.Created, null);
                    (content, reasoning, refusalDelta, fragments) = (chunk.Content, chunk.Reasoning, null, null);
                    finishReason = chunk.FinishReason;
                }

                // Sized for the text a delta carries; a finish or usage chunk grows it once.
                var contents = new List<AIContent>((string.IsNullOrEmpty(content) ? 0 : 1) + (string.IsNullOrEmpty(reasoning) ? 0 : 1));
                var update = new ChatResponseUpdate(ChatRole.Assistant, contents)
                {
                    ResponseId = id,
                    MessageId = id,
                    ModelId = modelId,
                    CreatedAt = OpenAIResponseMapper.ToCreatedAt(created),

                    // The wire chunk is kept only where it says more than the update: see docs/providers.md.
                    RawRepresentation = chunk.Full,
                };

                if (!string.IsNullOrEmpty(reasoning))
                {
                    contents.Add(new TextReasoningContent(reasoning));
                }

                if (!string.IsNullOrEmpty(content))
                {
                    contents.Add(new TextContent(content));
                }

                if (!string.IsNullOrEmpty(refusalDelta))
                {
                    (refusal ??= new StringBuilder()).Append(refusalDelta);
                }

                if (fragments is { Count: > 0 })
                {
                    toolCalls.Add(fragments);
                }

                if (finishReason is { Length: > 0 })
                {
                    if (finishReason == "content_filter")
                    {
                        throw ContentFiltered(model, 200);
                    }

                    finished = true;
                    update.FinishReason = OpenAIResponseMapper.ToFinishReason(finishReason);
                    FlushPending(contents, toolCalls, ref refusal);
                }

                if (usage is not null)
                {
                    contents.Add(new UsageContent(OpenAIResponseMapper.ToUsage(usage)));
                }

                yield return update;
            }

            // Lenient about a missing [DONE] once the answer is complete; a stream that stops earlier was cut off.
            if (!done && !finished)
            {
                throw Failure(ProviderErrorKind.InvalidResponse, model, 200, null, null, "ended the stream before it was complete");
            }

            // A server that sends [DONE] without a finish reason still gets its tool calls delivered.
            if (toolCalls.HasCalls || refusal is not null)
            {
                var contents = new List<AIContent>();
                ChatFinishReason? reason = toolCalls.HasCalls ? ChatFinishReason.ToolCalls : null;
                FlushPending(contents, toolCalls, ref refusal);
                yield return new ChatResponseUpdate(ChatRole.Assistant, contents) { FinishReason = reason };
            }
        }
        finally
        {
            if (events is not null)
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }

            response.Dispose();
        }
    }


    private static void FlushPending(List<AIContent> contents, OpenAIToolCallAccumulator toolCalls, ref StringBuilder? refusal)
    {
        if (refusal is not null)
        {
            contents.Add(new ErrorContent(refusal.ToString()) { ErrorCode = OpenAIResponseMapper.RefusalErrorCode });
            refusal = null;
        }

        if (toolCalls.HasCalls)
        {
            toolCalls.Flush(contents);
        }
    }

    private static WireChoice? FirstChoice(WireChatCompletion completion)
    {
        if (completion.Choices is { Count: > 0 } choices)
        {
            foreach (WireChoice choice in choices)
            {
                if (choice.Index == 0)
                {
                    return choice;
                }
            }
        }

        return null;
    }

    private string RequireModel(ChatOptions? options) =>
        options?.ModelId is { Length: > 0 } model
            ? model
            : throw new ProviderException(ProviderErrorKind.BadRequest, $"Provider '{_options.Name}' needs a model: set ChatOptions.ModelId.") { Provider = _options.Name };

    private async ValueTask<HttpResponseMessage> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream, CancellationToken cancellationToken)
    {
        if (_endpoint.MissingCredentialMessage is { } missing)
        {
            throw Failure(ProviderErrorKind.Authentication, model, null, null, null, missing);
        }

        byte[] body;
        try
        {
            PooledJsonWriter writer = _bodyWriters.Rent();
            try
            {
                body = OpenAIRequestWriter.Write(writer, this, messages, options, model, stream, _endpoint);
            }
            finally
            {
                _bodyWriters.Return(writer);
            }
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw Failure(ProviderErrorKind.BadRequest, model, null, null, ex, $"could not be sent the request: {ex.Message}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, RequestUri(model)) { Content = new ByteArrayContent(body) };

        // A constant, valid value: stored as is rather than parsed into a MediaTypeHeaderValue on every call.
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        await AuthenticateAsync(request, model, cancellationToken).ConfigureAwait(false);
        foreach (KeyValuePair<string, string> header in _endpoint.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw Failure(ProviderErrorKind.Timeout, model, null, null, ex, "did not answer within the configured Timeout");
        }
        catch (HttpRequestException ex)
        {
            throw Failure(ProviderErrorKind.Unavailable, model, null, null, ex, $"could not be reached: {ex.Message}");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await StatusErrorAsync(response, model, cancellationToken).ConfigureAwait(false);
        }
    }

    private Uri RequestUri(string model) =>
        _endpoint.ChatCompletionsUri ?? new Uri(_endpoint.DeploymentsPrefix + Uri.EscapeDataString(model) + _endpoint.DeploymentSuffix);

    private async ValueTask AuthenticateAsync(HttpRequestMessage request, string model, CancellationToken cancellationToken)
    {
        switch (_endpoint.AuthScheme)
        {
            case OpenAIAuthScheme.BearerKey:
                request.Headers.TryAddWithoutValidation("Authorization", _bearerHeader);
                break;

            case OpenAIAuthScheme.ApiKeyHeader:
                request.Headers.TryAddWithoutValidation("api-key", _endpoint.Credential);
                break;

            case OpenAIAuthScheme.TokenProvider:
                string token;
                try
                {
                    token = await _endpoint.TokenProvider!(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    throw Failure(ProviderErrorKind.Authentication, model, null, null, ex, $"could not get a token from its TokenProvider ({ex.GetType().Name})");
                }

                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
                break;
        }
    }

    private async ValueTask<WireChatCompletion> ReadCompletionAsync(HttpResponseMessage response, string model, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        using var buffer = new PooledByteBufferWriter();
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (!await buffer.ReadFromAsync(stream, ResponseBodyLimit, cancellationToken).ConfigureAwait(false))
            {
                throw Failure(ProviderErrorKind.InvalidResponse, model, status, null, null, $"sent a body larger than {ResponseBodyLimit} bytes");
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, model, status, null, ex, "cut the response body off");
        }

        // The common answer is read by hand into the same wire objects; any other shape goes to the deserializer.
        if (OpenAICompletionReader.TryRead(buffer.WrittenSpan, out WireChatCompletion? completion))
        {
            return completion;
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.WrittenSpan, OpenAIJsonContext.Default.WireChatCompletion)
                ?? throw Failure(ProviderErrorKind.InvalidResponse, model, status, null, null, "answered with a null body");
        }
        catch (JsonException ex)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, model, status, null, ex, $"answered with a body that is not a chat completion: {ProviderHttp.Excerpt(buffer.WrittenSpan)}");
        }
    }

    private async Task<ProviderException> StatusErrorAsync(HttpResponseMessage response, string model, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        using var buffer = new PooledByteBufferWriter();
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await buffer.ReadFromAsync(stream, ErrorBodyLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The status alone still classifies the failure.
        }

        OpenAIErrorInfo error = OpenAIErrors.Parse(buffer.WrittenSpan);
        ProviderErrorKind kind = OpenAIErrors.Classify(status, error);
        string detail = error.Message is { Length: > 0 } message ? ProviderHttp.Excerpt(message) : ProviderHttp.Excerpt(buffer.WrittenSpan);
        return Failure(kind, model, status, error.BestCode, null, $"answered HTTP {status}{CodeSuffix(error.BestCode)}: {detail}", OpenAIErrors.ReadRetryAfter(response, _timeProvider));
    }

    private ProviderException StreamError(JsonElement element, string model, int? status)
    {
        OpenAIErrorInfo error = OpenAIErrors.Parse(element);
        ProviderErrorKind kind = OpenAIErrors.Classify(null, error);
        string detail = error.Message is { Length: > 0 } message ? ProviderHttp.Excerpt(message) : ProviderHttp.Excerpt(element.GetRawText());
        return Failure(kind, model, status, error.BestCode, null, $"sent an error instead of an answer{CodeSuffix(error.BestCode)}: {detail}");
    }

    private ProviderException ContentFiltered(string model, int status) =>
        Failure(ProviderErrorKind.ContentFiltered, model, status, "content_filter", null, "stopped the answer with finish reason 'content_filter'");

    private ProviderException Failure(
        ProviderErrorKind kind, string model, int? status, string? code, Exception? inner, string what, TimeSpan? retryAfter = null)
    {
        string message = $"Provider '{_options.Name}' ({_endpoint.ProviderName}) {what} (model '{model}').";
        message = ProviderHttp.Redact(message, _endpoint.Credential, _options.ApiKey, _options.AccessToken);
        return new ProviderException(kind, message, inner)
        {
            Provider = _options.Name,
            ProviderModel = model,
            StatusCode = status,
            RetryAfter = retryAfter,
            ProviderErrorCode = code,
        };
    }

    private static string CodeSuffix(string? code) => code is { Length: > 0 } ? $" ({code})" : string.Empty;
}
