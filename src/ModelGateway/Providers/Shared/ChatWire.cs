using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace ModelGateway.Providers.Shared;

/// <summary>
/// Plumbing shared by the providers with their own (non-OpenAI) wire formats: sending, reading bodies and streams with
/// every failure turned into a <see cref="ProviderException"/>, and the JSON conversions of tool arguments and results.
/// </summary>
internal static class ChatWire
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key for input tokens written to a provider's prompt cache.</summary>
    public const string CacheCreationInputTokensKey = "CacheCreationInputTokenCount";

    // An error body is read for its classification and an excerpt only; a proxy's huge HTML page is not worth more.
    private const int MaxErrorBodyBytes = 32 * 1024;

    /// <summary>Builds a <see cref="ProviderException"/> whose message has the provider's secrets removed.</summary>
    public static ProviderException Failure(
        ProviderErrorKind kind,
        ProviderOptions options,
        string? model,
        string message,
        int? statusCode = null,
        string? errorCode = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null) =>
        new(kind, ProviderHttp.Redact(message, options), innerException)
        {
            Provider = options.Name,
            ProviderModel = model,
            StatusCode = statusCode,
            ProviderErrorCode = errorCode,
            RetryAfter = retryAfter,
        };

    /// <summary>Sends a request, reading only the headers; connection failures become <see cref="ProviderErrorKind.Unavailable"/>.</summary>
    public static async ValueTask<HttpResponseMessage> SendAsync(
        HttpClient httpClient, HttpRequestMessage request, ProviderOptions options, string model, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            // Not the caller's token: HttpClient.Timeout (ProviderOptions.Timeout) fired.
            throw Failure(ProviderErrorKind.Timeout, options, model, $"Provider '{options.Name}' did not answer within its HTTP timeout.", innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw Failure(ProviderErrorKind.Unavailable, options, model, $"Provider '{options.Name}' could not be reached: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>Reads at most a few kilobytes of an error body; a body that breaks off is returned as far as it came.</summary>
    public static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxErrorBodyBytes];
        int total = 0;
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status already classifies the failure; a body cut short only loses detail.
        }

        return buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>Reads a whole JSON body; a malformed, empty or cut-off body becomes <see cref="ProviderErrorKind.InvalidResponse"/>.</summary>
    public static async Task<T> ReadJsonAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> typeInfo, ProviderOptions options, string model, CancellationToken cancellationToken)
        where T : class
    {
        int status = (int)response.StatusCode;
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            T? value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
            return value ?? throw Failure(ProviderErrorKind.InvalidResponse, options, model, $"Provider '{options.Name}' answered {status} with a null body.", status);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (JsonException ex)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, options, model, $"Provider '{options.Name}' answered {status} with a body that is not valid JSON: {ex.Message}", status, innerException: ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, options, model, $"Provider '{options.Name}' answered {status} but the body broke off: {ex.Message}", status, innerException: ex);
        }
    }

    /// <summary>
    /// Opens the server-sent events of a streamed answer: a status other than success is turned into the provider's
    /// own error by <paramref name="readError"/>; otherwise the body is enumerated with <paramref name="parser"/>.
    /// The caller disposes the enumerator, then the response.
    /// </summary>
    public static async Task<IAsyncEnumerator<SseItem<T>>> OpenEventsAsync<T>(
        HttpResponseMessage response,
        SseItemParser<T> parser,
        Func<HttpResponseMessage, string, CancellationToken, Task<ProviderException>> readError,
        string model,
        CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await readError(response, model, cancellationToken).ConfigureAwait(false);
        }

        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return SseParser.Create(body, parser).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Moves a server-sent-event enumerator on; a corrupt or cut-off stream becomes <see cref="ProviderErrorKind.InvalidResponse"/>.</summary>
    public static async ValueTask<bool> MoveNextAsync<T>(
        IAsyncEnumerator<SseItem<T>> events, ProviderOptions options, string model, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (JsonException ex)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, options, model, $"Provider '{options.Name}' sent a stream event that is not valid JSON: {ex.Message}", 200, innerException: ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            throw Failure(ProviderErrorKind.InvalidResponse, options, model, $"Provider '{options.Name}' stream broke off: {ex.Message}", 200, innerException: ex);
        }
    }

    /// <summary>The failure for a stream that ended before the provider's own end-of-stream event.</summary>
    public static ProviderException Truncated(ProviderOptions options, string model) =>
        Failure(ProviderErrorKind.InvalidResponse, options, model, $"Provider '{options.Name}' stream ended before the response was complete.", 200);

    /// <summary>Returns whether an SSE data payload is the <c>[DONE]</c> sentinel some providers send.</summary>
    public static bool IsDone(ReadOnlySpan<byte> data) => data.Trim(" \t\r\n"u8).SequenceEqual("[DONE]"u8);

    /// <summary>Creates a request with a JSON body and the provider's configured extra headers.</summary>
    public static HttpRequestMessage CreateJsonRequest(Uri uri, ReadOnlyMemory<byte> body, ProviderOptions options)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        foreach (KeyValuePair<string, string> header in options.Headers)
        {
            request.Headers.Remove(header.Key);
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    /// <summary>Turns a tool call's JSON arguments into the dictionary <see cref="FunctionCallContent"/> carries (values are <see cref="JsonElement"/>).</summary>
    public static Dictionary<string, object?>? ArgumentsFrom(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? new Dictionary<string, object?>() : null;
        }

        var result = new Dictionary<string, object?>();
        foreach (JsonProperty property in arguments.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }

    /// <summary>Creates a <see cref="FunctionCallContent"/> from arguments streamed as JSON text; unparsable text sets its <see cref="FunctionCallContent.Exception"/>.</summary>
    public static FunctionCallContent CallFromJsonText(string callId, string name, string argumentsJson) =>
        FunctionCallContent.CreateFromParsedArguments(
            argumentsJson.Length == 0 ? "{}" : argumentsJson,
            callId,
            name,
            static json =>
            {
                using JsonDocument document = JsonDocument.Parse(json);
                return ArgumentsFrom(document.RootElement) ?? throw new JsonException("The tool call arguments are not a JSON object.");
            });

    /// <summary>Writes tool call arguments as a JSON object.</summary>
    public static void WriteArguments(Utf8JsonWriter writer, IDictionary<string, object?>? arguments)
    {
        writer.WriteStartObject();
        if (arguments is not null)
        {
            foreach (KeyValuePair<string, object?> argument in arguments)
            {
                writer.WritePropertyName(argument.Key);
                WriteValue(writer, argument.Value);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Renders tool call arguments as JSON text (for wire formats that carry them as a string).</summary>
    public static string ArgumentsText(IDictionary<string, object?>? arguments)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteArguments(writer, arguments);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes any value as JSON, through the M.E.AI serializer options (source-generated for its own types).</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            default:
                JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                break;
        }
    }

    /// <summary>Renders a tool result as text: a string as itself, anything else as JSON.</summary>
    public static string ResultText(object? result)
    {
        switch (result)
        {
            case null:
                return string.Empty;
            case string text:
                return text;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return element.GetString() ?? string.Empty;
            default:
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    WriteValue(writer, result);
                }

                return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>The thinking-token budget used for a <see cref="ReasoningEffort"/> by providers that take a budget (Anthropic, Gemini).</summary>
    public static int ThinkingBudget(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => 0,
        ReasoningEffort.Low => 1024,
        ReasoningEffort.Medium => 4096,
        ReasoningEffort.High => 16384,
        _ => 32768,
    };

    /// <summary>Returns whether the caller's additional properties (meant for the provider) set a top-level body field.</summary>
    public static bool Overrides(ChatOptions? options, string field) =>
        options?.AdditionalProperties is { } properties && properties.ContainsKey(field);

    /// <summary>Writes every additional property as a top-level body field.</summary>
    public static void WriteAdditionalProperties(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (KeyValuePair<string, object?> property in properties)
        {
            if (GatewayPropertyNames.IsGatewayKey(property.Key))
            {
                // The gateway strips its keys before a provider sees the options; a provider used on its own never sends them either.
                continue;
            }

            writer.WritePropertyName(property.Key);
            WriteValue(writer, property.Value);
        }
    }
}
