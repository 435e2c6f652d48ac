using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Bedrock.Wire;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Bedrock;

/// <summary>
/// The <c>bedrock</c> provider type: Amazon Bedrock's Converse and ConverseStream APIs over HTTP, signed with AWS
/// Signature Version 4 (service <c>bedrock</c>) or authorized with a Bedrock API key, without the AWS SDK.
/// </summary>
internal sealed class BedrockChatClient : ProviderChatClient
{
    public const string SigningService = "bedrock";
    private const string EventStreamMediaType = "application/vnd.amazon.eventstream";
    private const string RequestIdHeader = "x-amzn-RequestId";
    private const string ErrorTypeHeader = "x-amzn-ErrorType";

    private static readonly MediaTypeHeaderValue s_jsonContentType = new("application/json");

    private readonly ProviderOptions _options;
    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly string _region;
    private readonly string _baseUrl;
    private readonly string? _bearerToken;
    private readonly AwsCredentials? _credentials;
    private readonly Func<CancellationToken, ValueTask<AwsCredentials>>? _credentialsProvider;

    public BedrockChatClient(ProviderOptions options, HttpClient httpClient, TimeProvider timeProvider)
        : this(options, httpClient, timeProvider, Region(options))
    {
    }

    private BedrockChatClient(ProviderOptions options, HttpClient httpClient, TimeProvider timeProvider, string region)
        : base(new ChatClientMetadata("aws.bedrock", new Uri(BaseUrl(options, region)), defaultModelId: null))
    {
        _options = options;
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _region = region;
        _baseUrl = BaseUrl(options, region);

        // Configuration wins over the environment; within each, an API key wins over access keys. The code hook wins over all.
        _credentialsProvider = options.AwsCredentialsProvider;
        if (_credentialsProvider is null)
        {
            if (options.ApiKey is { Length: > 0 } apiKey)
            {
                _bearerToken = apiKey;
            }
            else if (options.AccessKeyId is { Length: > 0 } || options.SecretAccessKey is { Length: > 0 })
            {
                if (string.IsNullOrEmpty(options.AccessKeyId) || string.IsNullOrEmpty(options.SecretAccessKey))
                {
                    throw new InvalidOperationException(
                        $"Bedrock provider '{options.Name}' needs both ModelGateway:Providers:{options.Name}:AccessKeyId and :SecretAccessKey.");
                }

                _credentials = new AwsCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
            }
            else if (ProviderHttp.OptionOrEnvironment(null, "AWS_BEARER_TOKEN_BEDROCK") is { } environmentKey)
            {
                _bearerToken = environmentKey;
            }
            else if (ProviderHttp.OptionOrEnvironment(null, "AWS_ACCESS_KEY_ID") is { } accessKeyId
                && ProviderHttp.OptionOrEnvironment(null, "AWS_SECRET_ACCESS_KEY") is { } secretAccessKey)
            {
                _credentials = new AwsCredentials(accessKeyId, secretAccessKey, ProviderHttp.OptionOrEnvironment(null, "AWS_SESSION_TOKEN"));
            }
            else
            {
                throw new InvalidOperationException(
                    $"Bedrock provider '{options.Name}' has no credentials: set ApiKey, or AccessKeyId and SecretAccessKey, or " +
                    "AwsCredentialsProvider in code, or the AWS_BEARER_TOKEN_BEDROCK or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables.");
            }
        }
    }

    private static string Region(ProviderOptions options) =>
        ProviderHttp.OptionOrEnvironment(options.Region, "AWS_REGION")
            ?? ProviderHttp.OptionOrEnvironment(null, "AWS_DEFAULT_REGION")
            ?? throw new InvalidOperationException(
                $"Bedrock provider '{options.Name}' has no region: set ModelGateway:Providers:{options.Name}:Region or the AWS_REGION environment variable.");

    private static string BaseUrl(ProviderOptions options, string region)
    {
        string baseUrl = options.BaseUrl is { Length: > 0 } configured ? configured : $"https://bedrock-runtime.{region}.amazonaws.com/";
        return baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
    }

    public static IChatClient Create(IServiceProvider services, ProviderOptions options) =>
        new BedrockChatClient(options, ProviderHttp.CreateClient(services, options), services.GetService<TimeProvider>() ?? TimeProvider.System);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string modelId = RequireModel(options);
        (HttpRequestMessage request, CallSecrets secrets) = await CreateRequestAsync(messages, options, modelId, stream: false, cancellationToken).ConfigureAwait(false);
        using HttpRequestMessage requestToDispose = request;
        using HttpResponseMessage response = await SendAsync(request, modelId, secrets, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await CreateErrorAsync(response, modelId, secrets, cancellationToken).ConfigureAwait(false);
        }

        ConverseResponse? body;
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            body = await JsonSerializer.DeserializeAsync(stream, BedrockJsonContext.Default.ConverseResponse, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                throw new InvalidDataException("The Converse answer is JSON null.");
            }

            return BedrockResponseMapper.ToChatResponse(body, modelId, RequestId(response), _timeProvider.GetUtcNow());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, $"returned an unreadable Converse answer: {ex.Message}", modelId, secrets, ex, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            throw ReadFailure(ex, modelId, secrets, (int)response.StatusCode);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string modelId = RequireModel(options);
        (HttpRequestMessage request, CallSecrets secrets) = await CreateRequestAsync(messages, options, modelId, stream: true, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        using (request)
        {
            response = await SendAsync(request, modelId, secrets, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await CreateErrorAsync(response, modelId, secrets, cancellationToken).ConfigureAwait(false);
            }

            int status = (int)response.StatusCode;
            Stream stream = await ReadStreamAsync(response, modelId, secrets, cancellationToken).ConfigureAwait(false);
            using var reader = new EventStreamReader(stream);
            var state = new BedrockStreamState(modelId, RequestId(response));
            while (true)
            {
                EventStreamMessage? message = await ReadFrameAsync(reader, modelId, secrets, status, cancellationToken).ConfigureAwait(false);
                if (message is null)
                {
                    break;
                }

                ChatResponseUpdate? update = Apply(state, message.Value, modelId, secrets, status);
                if (update is not null)
                {
                    yield return update;
                }
            }

            if (!state.Stopped)
            {
                throw Failure(ProviderErrorKind.InvalidResponse, "ended the stream before messageStop (truncated)", modelId, secrets, null, status);
            }

            yield return state.CreateFinalUpdate();
        }
        finally
        {
            // Closes the connection at once when the caller abandons the stream.
            response.Dispose();
        }
    }


    private static string RequireModel(ChatOptions? options) =>
        options?.ModelId is { Length: > 0 } modelId
            ? modelId
            : throw new ProviderException(ProviderErrorKind.BadRequest, "Bedrock needs a model id, inference profile or ARN in ChatOptions.ModelId.");

    private static string? RequestId(HttpResponseMessage response) =>
        ProviderHttp.TryGetFirst(response.Headers, RequestIdHeader, out string? id) ? id : null;

    private async Task<(HttpRequestMessage Request, CallSecrets Secrets)> CreateRequestAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, string modelId, bool stream, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            ConverseRequest converse = BedrockRequestMapper.Create(messages, options);
            body = JsonSerializer.SerializeToUtf8Bytes(converse, BedrockJsonContext.Default.ConverseRequest);
        }
        catch (ProviderException ex)
        {
            throw new ProviderException(ex.Kind, $"Bedrock provider '{_options.Name}': {ex.Message}", ex.InnerException) { Provider = _options.Name, ProviderModel = modelId };
        }

        // The model id is one path segment: ':' and '/' in inference-profile ids and ARNs are percent-encoded.
        var uri = new Uri(_baseUrl + "model/" + Uri.EscapeDataString(modelId) + (stream ? "/converse-stream" : "/converse"));
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        try
        {
            request.Content.Headers.ContentType = s_jsonContentType;
            request.Headers.Accept.ParseAdd(stream ? EventStreamMediaType : "application/json");
            foreach (KeyValuePair<string, string> header in _options.Headers)
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (_bearerToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearerToken);
                return (request, new CallSecrets(_bearerToken, null));
            }

            AwsCredentials credentials = _credentials ?? await GetCredentialsAsync(modelId, cancellationToken).ConfigureAwait(false);
            SigV4Signer.Sign(request, body, credentials, _region, SigningService, _timeProvider.GetUtcNow());
            return (request, new CallSecrets(null, credentials));
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private async ValueTask<AwsCredentials> GetCredentialsAsync(string modelId, CancellationToken cancellationToken)
    {
        try
        {
            return await _credentialsProvider!(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The credentials provider returned null.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The app's exception stays as the inner exception; its message is not copied, it might hold a secret.
            throw new ProviderException(ProviderErrorKind.Authentication, $"Bedrock provider '{_options.Name}': the AwsCredentialsProvider failed ({ex.GetType().Name}).", ex)
            {
                Provider = _options.Name,
                ProviderModel = modelId,
            };
        }
    }

    private async ValueTask<HttpResponseMessage> SendAsync(HttpRequestMessage request, string modelId, CallSecrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw Failure(ProviderErrorKind.Timeout, "did not answer within the HTTP timeout", modelId, secrets, ex, null);
        }
        catch (HttpRequestException ex)
        {
            throw Failure(ProviderErrorKind.Unavailable, $"could not be reached: {ex.Message}", modelId, secrets, ex, null);
        }
    }

    private async Task<Stream> ReadStreamAsync(HttpResponseMessage response, string modelId, CallSecrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            throw ReadFailure(ex, modelId, secrets, (int)response.StatusCode);
        }
    }

    private async ValueTask<EventStreamMessage?> ReadFrameAsync(EventStreamReader reader, string modelId, CallSecrets secrets, int status, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (InvalidDataException ex)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, $"sent a corrupt event-stream frame: {ex.Message}", modelId, secrets, ex, status);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            throw ReadFailure(ex, modelId, secrets, status);
        }
    }

    private ChatResponseUpdate? Apply(BedrockStreamState state, in EventStreamMessage message, string modelId, CallSecrets secrets, int status)
    {
        if (!message.TryGetHeader(":message-type"u8, out ReadOnlySpan<byte> messageType))
        {
            throw Failure(ProviderErrorKind.InvalidResponse, "sent an event-stream frame without :message-type", modelId, secrets, null, status);
        }

        if (messageType.SequenceEqual("event"u8))
        {
            message.TryGetHeader(":event-type"u8, out ReadOnlySpan<byte> eventType);
            try
            {
                return state.Apply(eventType, message.Payload.Span);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                throw Failure(ProviderErrorKind.InvalidResponse, $"sent an unreadable stream event: {ex.Message}", modelId, secrets, ex, status);
            }
        }

        string? errorType;
        string? errorMessage;
        if (messageType.SequenceEqual("exception"u8))
        {
            errorType = message.TryGetHeader(":exception-type"u8, out ReadOnlySpan<byte> type) ? System.Text.Encoding.UTF8.GetString(type) : null;
            errorMessage = ErrorMessage(message.Payload.Span, out _);
        }
        else if (messageType.SequenceEqual("error"u8))
        {
            errorType = message.TryGetHeader(":error-code"u8, out ReadOnlySpan<byte> code) ? System.Text.Encoding.UTF8.GetString(code) : null;
            errorMessage = message.TryGetHeader(":error-message"u8, out ReadOnlySpan<byte> text) ? System.Text.Encoding.UTF8.GetString(text) : null;
        }
        else
        {
            throw Failure(ProviderErrorKind.InvalidResponse, $"sent an event-stream frame of unknown :message-type '{ProviderHttp.Excerpt(messageType)}'", modelId, secrets, null, status);
        }

        errorType = BedrockErrors.NormalizeType(errorType);
        ProviderErrorKind kind = BedrockErrors.Classify(errorType, null, errorMessage);
        throw new ProviderException(kind, Redact($"Bedrock provider '{_options.Name}' failed mid-stream for model '{modelId}' with {errorType ?? "an unknown error"}: {ProviderHttp.Excerpt(errorMessage ?? string.Empty)}", secrets))
        {
            Provider = _options.Name,
            ProviderModel = modelId,
            StatusCode = status,
            ProviderErrorCode = errorType,
        };
    }

    private async Task<ProviderException> CreateErrorAsync(HttpResponseMessage response, string modelId, CallSecrets secrets, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            body = [];
        }

        string? message = ErrorMessage(body, out string? bodyType);
        string? errorType = BedrockErrors.NormalizeType(ProviderHttp.TryGetFirst(response.Headers, ErrorTypeHeader, out string? header) ? header : bodyType);
        ProviderErrorKind kind = BedrockErrors.Classify(errorType, status, message);
        string detail = message is not null ? ProviderHttp.Excerpt(message) : ProviderHttp.Excerpt(body);
        return new ProviderException(kind, Redact($"Bedrock provider '{_options.Name}' returned HTTP {status}{(errorType is null ? string.Empty : " " + errorType)} for model '{modelId}': {detail}", secrets))
        {
            Provider = _options.Name,
            ProviderModel = modelId,
            StatusCode = status,
            RetryAfter = ProviderHttp.ReadRetryAfter(response, _timeProvider),
            ProviderErrorCode = errorType,
        };
    }

    // Reads "message" (or "Message") and "__type" from an error body; null when the body is not that JSON.
    private static string? ErrorMessage(ReadOnlySpan<byte> body, out string? type)
    {
        type = null;
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            ErrorBody? error = JsonSerializer.Deserialize(body, BedrockJsonContext.Default.ErrorBody);
            type = error?.Type;
            return error?.Message ?? error?.MessageCapitalized ?? error?.OriginalMessage;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ProviderException ReadFailure(Exception ex, string modelId, CallSecrets secrets, int status) => ex is OperationCanceledException
        ? Failure(ProviderErrorKind.Timeout, "did not finish the answer within the HTTP timeout", modelId, secrets, ex, status)
        : Failure(ProviderErrorKind.Unavailable, $"lost the connection while answering: {ex.Message}", modelId, secrets, ex, status);

    private ProviderException Failure(ProviderErrorKind kind, string what, string modelId, CallSecrets secrets, Exception? inner, int? status) =>
        new(kind, Redact($"Bedrock provider '{_options.Name}' {what} (model '{modelId}').", secrets), inner)
        {
            Provider = _options.Name,
            ProviderModel = modelId,
            StatusCode = status,
        };

    private string Redact(string text, CallSecrets secrets) => ProviderHttp.Redact(
        ProviderHttp.Redact(text, _options),
        _options.AccessKeyId,
        secrets.BearerToken,
        secrets.Credentials?.AccessKeyId,
        secrets.Credentials?.SecretAccessKey,
        secrets.Credentials?.SessionToken);

    /// <summary>The secrets one call used, so that no message can repeat them.</summary>
    private readonly record struct CallSecrets(string? BearerToken, AwsCredentials? Credentials);
}
