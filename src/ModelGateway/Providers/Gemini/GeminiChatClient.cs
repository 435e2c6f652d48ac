using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Gemini;

/// <summary>
/// The <c>gemini</c> (Google AI Studio, API key) and <c>vertex-ai</c> (Vertex AI, bearer token) provider types: one wire
/// format, <c>generateContent</c> and <c>streamGenerateContent?alt=sse</c>, at two addresses with two kinds of credentials.
/// </summary>
internal sealed class GeminiChatClient : ProviderChatClient
{
    public const string GeminiTypeName = "gemini";
    public const string VertexTypeName = "vertex-ai";
    public const string GeminiDefaultBaseUrl = "https://generativelanguage.googleapis.com";
    public const string GeminiDefaultApiVersion = "v1beta";
    public const string VertexDefaultApiVersion = "v1";

    private readonly HttpClient _httpClient;
    private readonly ProviderOptions _options;
    private readonly Func<HttpResponseMessage, string, CancellationToken, Task<ProviderException>> _readError;
    private readonly TimeProvider _timeProvider;
    private readonly bool _vertex;
    private readonly string _modelsPrefix;
    private readonly string? _apiKey;

    private GeminiChatClient(HttpClient httpClient, ProviderOptions options, TimeProvider timeProvider, bool vertex, string modelsPrefix, string? apiKey, Uri root)
        : base(new ChatClientMetadata(vertex ? "gcp.vertex_ai" : "gcp.gemini", root, defaultModelId: null))
    {
        _httpClient = httpClient;
        _options = options;
        _readError = ErrorAsync;
        _timeProvider = timeProvider;
        _vertex = vertex;
        _modelsPrefix = modelsPrefix;
        _apiKey = apiKey;
    }

    private string Vendor => _vertex ? "Vertex AI" : "Gemini";

    /// <summary>Creates the <c>gemini</c> client: <c>{BaseUrl}/{ApiVersion}/models/{model}:generateContent</c> with <c>x-goog-api-key</c>.</summary>
    public static IChatClient CreateGemini(IServiceProvider services, ProviderOptions options)
    {
        string baseUrl = (string.IsNullOrEmpty(options.BaseUrl) ? GeminiDefaultBaseUrl : options.BaseUrl).TrimEnd('/');
        string version = string.IsNullOrEmpty(options.ApiVersion) ? GeminiDefaultApiVersion : options.ApiVersion;
        string? apiKey = ProviderHttp.OptionOrEnvironment(options.ApiKey, "GEMINI_API_KEY") ?? ProviderHttp.OptionOrEnvironment(null, "GOOGLE_API_KEY");
        return new GeminiChatClient(
            ProviderHttp.CreateClient(services, options), options, services.GetService<TimeProvider>() ?? TimeProvider.System,
            vertex: false, $"{baseUrl}/{version}/", apiKey, new Uri(baseUrl, UriKind.Absolute));
    }

    /// <summary>Creates the <c>vertex-ai</c> client: <c>https://{Location}-aiplatform.googleapis.com/v1/projects/{Project}/locations/{Location}/publishers/google/models/{model}:generateContent</c> with a bearer token.</summary>
    /// <exception cref="InvalidOperationException"><see cref="ProviderOptions.Project"/> or <see cref="ProviderOptions.Location"/> is missing.</exception>
    public static IChatClient CreateVertex(IServiceProvider services, ProviderOptions options)
    {
        if (string.IsNullOrEmpty(options.Project) || string.IsNullOrEmpty(options.Location))
        {
            throw new InvalidOperationException($"Provider '{options.Name}' of type '{VertexTypeName}' needs Project and Location.");
        }

        // The global location has no regional host.
        string host = options.Location == "global" ? "https://aiplatform.googleapis.com" : $"https://{options.Location}-aiplatform.googleapis.com";
        string baseUrl = (string.IsNullOrEmpty(options.BaseUrl) ? host : options.BaseUrl).TrimEnd('/');
        string version = string.IsNullOrEmpty(options.ApiVersion) ? VertexDefaultApiVersion : options.ApiVersion;
        string prefix = $"{baseUrl}/{version}/projects/{Uri.EscapeDataString(options.Project)}/locations/{Uri.EscapeDataString(options.Location)}/publishers/google/";
        return new GeminiChatClient(
            ProviderHttp.CreateClient(services, options), options, services.GetService<TimeProvider>() ?? TimeProvider.System,
            vertex: true, prefix, apiKey: null, new Uri(baseUrl, UriKind.Absolute));
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string model = RequireModel(options);
        using HttpResponseMessage response = await SendAsync(messages, options, model, stream: false, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, model, cancellationToken).ConfigureAwait(false);
        }

        GeminiGenerateContentResponse body = await ChatWire.ReadJsonAsync(response, GeminiJsonContext.Default.GeminiGenerateContentResponse, _options, model, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(body, model);

        int generatedCallIds = 0;
        bool sawFunctionCall = false;
        List<AIContent> contents = MapContents(body, model, ref generatedCallIds, ref sawFunctionCall);
        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = body.ResponseId };
        return new ChatResponse(message)
        {
            ResponseId = body.ResponseId,
            ModelId = body.ModelVersion ?? model,
            FinishReason = GeminiResponseMapper.FinishReason(FinishReasonOf(body), sawFunctionCall),
            Usage = body.UsageMetadata is { } usage ? GeminiResponseMapper.ToUsage(usage) : null,
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
        IAsyncEnumerator<SseItem<GeminiGenerateContentResponse?>> events = await ChatWire.OpenEventsAsync(response, ParseChunk, _readError, model, cancellationToken).ConfigureAwait(false);
        await using (events.ConfigureAwait(false))
        {
            string? responseId = null;
            string modelId = model;
            string? finishReason = null;
            GeminiUsageMetadata? usage = null;
            int generatedCallIds = 0;
            bool sawFunctionCall = false;
            while (await ChatWire.MoveNextAsync(events, _options, model, cancellationToken).ConfigureAwait(false))
            {
                if (events.Current.Data is not { } chunk)
                {
                    continue;
                }

                ThrowIfFailed(chunk, model);
                responseId = chunk.ResponseId ?? responseId;
                modelId = chunk.ModelVersion ?? modelId;
                usage = chunk.UsageMetadata ?? usage;
                finishReason = FinishReasonOf(chunk) ?? finishReason;

                List<AIContent> contents = MapContents(chunk, model, ref generatedCallIds, ref sawFunctionCall);
                if (contents.Count > 0)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, contents) { ResponseId = responseId, MessageId = responseId, ModelId = modelId };
                }
            }

            // Gemini has no end-of-stream event: a finish reason is what says the answer is complete.
            if (finishReason is null)
            {
                throw ChatWire.Truncated(_options, model);
            }

            var final = new ChatResponseUpdate(ChatRole.Assistant, usage is null ? [] : [new UsageContent(GeminiResponseMapper.ToUsage(usage))])
            {
                ResponseId = responseId,
                MessageId = responseId,
                ModelId = modelId,
                FinishReason = GeminiResponseMapper.FinishReason(finishReason, sawFunctionCall),
            };
            yield return final;
        }
    }


    internal static ProviderErrorKind Classify(int? status, GeminiError? error)
    {
        ProviderErrorKind kind = status is { } code ? ProviderHttp.KindFromStatus(code) : ProviderErrorKind.Unknown;
        if (kind == ProviderErrorKind.Unknown)
        {
            kind = error?.Status switch
            {
                "RESOURCE_EXHAUSTED" => ProviderErrorKind.RateLimited,
                "UNAVAILABLE" or "INTERNAL" or "UNKNOWN" => ProviderErrorKind.Unavailable,
                "DEADLINE_EXCEEDED" => ProviderErrorKind.Timeout,
                "UNAUTHENTICATED" or "PERMISSION_DENIED" => ProviderErrorKind.Authentication,
                "NOT_FOUND" => ProviderErrorKind.NotFound,
                "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE" => ProviderErrorKind.BadRequest,
                _ => error?.Code is { } errorCode ? ProviderHttp.KindFromStatus(errorCode) : ProviderErrorKind.Unknown,
            };
        }

        if (kind == ProviderErrorKind.BadRequest && error is not null)
        {
            if (HasReason(error, "API_KEY_INVALID"))
            {
                // AI Studio answers a bad key with 400 INVALID_ARGUMENT.
                kind = ProviderErrorKind.Authentication;
            }
            else if (error.Message is { } message
                && (message.Contains("exceeds the maximum number of tokens", StringComparison.OrdinalIgnoreCase)
                    || message.Contains("input token count", StringComparison.OrdinalIgnoreCase)))
            {
                kind = ProviderErrorKind.ContextWindowExceeded;
            }
        }

        return kind;
    }

    private static bool HasReason(GeminiError error, string reason)
    {
        if (error.Details is { } details)
        {
            foreach (GeminiErrorDetail detail in details)
            {
                if (detail.Reason == reason)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static TimeSpan? RetryDelay(GeminiError? error)
    {
        if (error?.Details is { } details)
        {
            foreach (GeminiErrorDetail detail in details)
            {
                if (GeminiResponseMapper.ParseDuration(detail.RetryDelay) is { } delay)
                {
                    return delay;
                }
            }
        }

        return null;
    }

    private static string? FinishReasonOf(GeminiGenerateContentResponse response) =>
        response.Candidates is [{ FinishReason: { } reason }, ..] ? reason : null;

    private static GeminiGenerateContentResponse? ParseChunk(string eventType, ReadOnlySpan<byte> data) =>
        ChatWire.IsDone(data) ? null : JsonSerializer.Deserialize(data, GeminiJsonContext.Default.GeminiGenerateContentResponse);

    private string RequireModel(ChatOptions? options) =>
        options?.ModelId is { Length: > 0 } model
            ? model
            : throw new ProviderException(ProviderErrorKind.BadRequest, $"ChatOptions.ModelId must name the {Vendor} model.") { Provider = _options.Name };

    private List<AIContent> MapContents(GeminiGenerateContentResponse body, string model, ref int generatedCallIds, ref bool sawFunctionCall)
    {
        try
        {
            return GeminiResponseMapper.ToContents(body, ref generatedCallIds, ref sawFunctionCall);
        }
        catch (FormatException ex)
        {
            throw Fail(ProviderErrorKind.InvalidResponse, model, $"{Vendor} provider '{_options.Name}' sent inline data that is not base64.", 200, innerException: ex);
        }
    }

    private void ThrowIfFailed(GeminiGenerateContentResponse body, string model)
    {
        if (body.Error is { } error)
        {
            // An error inside a 200 stream.
            ProviderErrorKind kind = Classify(status: null, error);
            throw Fail(kind, model, $"{Vendor} provider '{_options.Name}' sent an error mid-stream, {error.Status ?? "UNKNOWN"}: {ProviderHttp.Excerpt(error.Message ?? string.Empty)}", error.Code, error.Status, RetryDelay(error));
        }

        if (body.PromptFeedback?.BlockReason is { } blockReason && body.Candidates is null or [])
        {
            throw Fail(
                ProviderErrorKind.ContentFiltered,
                model,
                $"{Vendor} provider '{_options.Name}' blocked the prompt ({blockReason}){(body.PromptFeedback.BlockReasonMessage is { } why ? ": " + ProviderHttp.Excerpt(why) : ".")}",
                200,
                blockReason);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(body))
        {
            GeminiRequestWriter.Write(writer, messages, options);
        }

        // A model given as "models/x" or "tunedModels/x" (AI Studio) keeps its collection; a bare id goes under models/.
        string path = model.Contains('/', StringComparison.Ordinal) ? model : "models/" + model;
        var uri = new Uri(_modelsPrefix + path + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"), UriKind.Absolute);
        using HttpRequestMessage request = ChatWire.CreateJsonRequest(uri, body.WrittenMemory, _options);
        if (_vertex)
        {
            string? token = _options.TokenProvider is { } tokenProvider
                ? await tokenProvider(cancellationToken).ConfigureAwait(false)
                : _options.AccessToken;
            if (string.IsNullOrEmpty(token))
            {
                throw Fail(ProviderErrorKind.Authentication, model, $"Vertex AI provider '{_options.Name}' has no credentials: set AccessToken or TokenProvider.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (_apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-goog-api-key", _apiKey);
        }
        else
        {
            throw Fail(ProviderErrorKind.Authentication, model, $"Gemini provider '{_options.Name}' has no API key: set ApiKey, GEMINI_API_KEY or GOOGLE_API_KEY.");
        }

        return await ChatWire.SendAsync(_httpClient, request, _options, model, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProviderException> ErrorAsync(HttpResponseMessage response, string model, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        byte[] body = await ChatWire.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        GeminiError? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body, GeminiJsonContext.Default.GeminiErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            // Not Google's JSON (a proxy's HTML page, say): the status alone classifies it.
        }

        ProviderErrorKind kind = Classify(status, error);
        TimeSpan? retryAfter = ProviderHttp.ReadRetryAfter(response, _timeProvider) ?? RetryDelay(error);
        string detail = error?.Message is { } text ? ProviderHttp.Excerpt(text) : ProviderHttp.Excerpt(body);
        string message = error?.Status is { } code
            ? $"{Vendor} provider '{_options.Name}' answered {status} {code}: {detail}"
            : $"{Vendor} provider '{_options.Name}' answered {status}: {detail}";
        return Fail(kind, model, message, status, error?.Status, retryAfter);
    }

    private ProviderException Fail(ProviderErrorKind kind, string model, string message, int? statusCode = null, string? errorCode = null, TimeSpan? retryAfter = null, Exception? innerException = null) =>
        ChatWire.Failure(kind, _options, model, ProviderHttp.Redact(message, _apiKey), statusCode, errorCode, retryAfter, innerException);
}
