using System.Net.Http.Headers;
using System.Text.Json;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.OpenAI;

/// <summary>Reads OpenAI-shaped error bodies and classifies them as <c>BEHAVIOR.md</c> says.</summary>
internal static class OpenAIErrors
{
    /// <summary>Reads an error body; anything that is not the expected JSON gives an empty info (the status still decides).</summary>
    public static OpenAIErrorInfo Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            return Parse(document.RootElement);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Reads an error from a parsed body: the envelope <c>{"error":…}</c>, a bare error object, or <c>{"error":"text"}</c>.</summary>
    public static OpenAIErrorInfo Parse(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.String)
        {
            return new OpenAIErrorInfo(root.GetString(), null, null, null);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        JsonElement error = root;
        if (root.TryGetProperty("error", out JsonElement inner))
        {
            if (inner.ValueKind == JsonValueKind.String)
            {
                return new OpenAIErrorInfo(inner.GetString(), null, Text(root, "code"), null);
            }

            if (inner.ValueKind == JsonValueKind.Object)
            {
                error = inner;
            }
        }

        string? innerCode = null;
        if ((error.TryGetProperty("innererror", out JsonElement innerError) || error.TryGetProperty("inner_error", out innerError))
            && innerError.ValueKind == JsonValueKind.Object)
        {
            innerCode = Text(innerError, "code");
        }

        return new OpenAIErrorInfo(Text(error, "message"), Text(error, "type"), Text(error, "code"), innerCode);
    }

    /// <summary>Classifies a failure: the status decides first, the body refines a 400-class answer or a 200 stream error.</summary>
    public static ProviderErrorKind Classify(int? status, in OpenAIErrorInfo error)
    {
        ProviderErrorKind kind = status is { } code ? ProviderHttp.KindFromStatus(code) : ProviderErrorKind.Unknown;
        if (kind is not (ProviderErrorKind.BadRequest or ProviderErrorKind.Unknown))
        {
            return kind;
        }

        if (IsContentFilter(error))
        {
            return ProviderErrorKind.ContentFiltered;
        }

        if (IsContextLength(error))
        {
            return ProviderErrorKind.ContextWindowExceeded;
        }

        if (kind == ProviderErrorKind.Unknown)
        {
            // Inside a 200 stream there is no status; the error's own code says what happened.
            if (Is(error.Code, "rate_limit_exceeded") || Is(error.Code, "insufficient_quota") || Is(error.Type, "rate_limit_error")
                || Is(error.Type, "tokens") || Is(error.Type, "requests"))
            {
                return ProviderErrorKind.RateLimited;
            }

            if (Is(error.Type, "server_error") || Is(error.Code, "server_error") || Is(error.Type, "overloaded_error"))
            {
                return ProviderErrorKind.Unavailable;
            }

            if (Is(error.Type, "invalid_request_error"))
            {
                return ProviderErrorKind.BadRequest;
            }
        }

        return kind;
    }

    /// <summary>
    /// Reads how long to wait: <c>retry-after-ms</c> and <c>Retry-After</c> first; on a 429 without them, the
    /// <c>x-ratelimit-reset-{requests,tokens}</c> header of the exhausted limit (the later one when that is unclear).
    /// </summary>
    public static TimeSpan? ReadRetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (ProviderHttp.ReadRetryAfter(response, timeProvider) is { } retryAfter)
        {
            return retryAfter;
        }

        if ((int)response.StatusCode != 429)
        {
            return null;
        }

        HttpResponseHeaders headers = response.Headers;
        TimeSpan? requests = ReadReset(headers, "x-ratelimit-reset-requests");
        TimeSpan? tokens = ReadReset(headers, "x-ratelimit-reset-tokens");
        bool requestsExhausted = IsZero(headers, "x-ratelimit-remaining-requests");
        bool tokensExhausted = IsZero(headers, "x-ratelimit-remaining-tokens");
        if (requestsExhausted != tokensExhausted)
        {
            return requestsExhausted ? requests ?? tokens : tokens ?? requests;
        }

        return requests is { } r && tokens is { } t ? (r > t ? r : t) : requests ?? tokens;
    }

    private static TimeSpan? ReadReset(HttpResponseHeaders headers, string name) =>
        ProviderHttp.TryGetFirst(headers, name, out string? value) && DurationText.TryParse(value, out TimeSpan reset) ? reset : null;

    private static bool IsZero(HttpResponseHeaders headers, string name) =>
        ProviderHttp.TryGetFirst(headers, name, out string? value) && value?.Trim() == "0";

    private static bool IsContentFilter(in OpenAIErrorInfo error) =>
        Is(error.Code, "content_filter") || Is(error.Code, "content_policy_violation")
        || Is(error.InnerCode, "ResponsibleAIPolicyViolation") || Is(error.Type, "content_filter");

    private static bool IsContextLength(in OpenAIErrorInfo error) =>
        Is(error.Code, "context_length_exceeded")
        || error.Message is { } message
            && (message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase)
                || message.Contains("context length", StringComparison.OrdinalIgnoreCase)
                || message.Contains("context_length_exceeded", StringComparison.OrdinalIgnoreCase)
                || message.Contains("context window", StringComparison.OrdinalIgnoreCase));

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
