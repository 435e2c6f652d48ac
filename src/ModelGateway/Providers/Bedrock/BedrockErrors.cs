namespace ModelGateway.Providers.Bedrock;

/// <summary>Classifies Bedrock error types (HTTP errors and in-stream exceptions) as <c>BEHAVIOR.md</c> says.</summary>
internal static class BedrockErrors
{
    /// <summary>
    /// Returns the kind for an AWS error type (PascalCase, as the <c>x-amzn-ErrorType</c> header sends it) and status.
    /// A known type decides; otherwise the status does. A validation error that says the input is too long is a context
    /// window overflow.
    /// </summary>
    public static ProviderErrorKind Classify(string? errorType, int? status, string? message)
    {
        switch (errorType)
        {
            case "ThrottlingException" or "ServiceQuotaExceededException":
                return ProviderErrorKind.RateLimited;
            case "ModelTimeoutException":
                return ProviderErrorKind.Timeout;
            case "ServiceUnavailableException" or "InternalServerException" or "ModelNotReadyException"
                or "ModelErrorException" or "ModelStreamErrorException":
                return ProviderErrorKind.Unavailable;
            case "AccessDeniedException":
                return ProviderErrorKind.Authentication;
            case "ResourceNotFoundException":
                return ProviderErrorKind.NotFound;
            case "ValidationException":
                return IsContextWindowMessage(message) ? ProviderErrorKind.ContextWindowExceeded : ProviderErrorKind.BadRequest;
        }

        if (status is not { } code)
        {
            // An in-stream error of an unknown type: the service failed after it started answering.
            return ProviderErrorKind.Unavailable;
        }

        ProviderErrorKind kind = Shared.ProviderHttp.KindFromStatus(code);
        return kind == ProviderErrorKind.BadRequest && IsContextWindowMessage(message) ? ProviderErrorKind.ContextWindowExceeded : kind;
    }

    /// <summary>
    /// Normalizes an error type: the part before <c>:</c> (the header appends a URL), after <c>#</c> (a <c>__type</c>
    /// namespace), with a capital first letter (stream exception types are camelCase).
    /// </summary>
    public static string? NormalizeType(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        ReadOnlySpan<char> type = raw.AsSpan().Trim();
        int colon = type.IndexOf(':');
        if (colon >= 0)
        {
            type = type[..colon];
        }

        int hash = type.LastIndexOf('#');
        if (hash >= 0)
        {
            type = type[(hash + 1)..];
        }

        if (type.IsEmpty)
        {
            return null;
        }

        return char.IsLower(type[0]) ? string.Concat(char.ToUpperInvariant(type[0]).ToString(), type[1..]) : type.ToString();
    }

    private static bool IsContextWindowMessage(string? message) =>
        message is not null
        && (message.Contains("too long", StringComparison.OrdinalIgnoreCase)
            || message.Contains("context window", StringComparison.OrdinalIgnoreCase)
            || message.Contains("context length", StringComparison.OrdinalIgnoreCase)
            || message.Contains("maximum context", StringComparison.OrdinalIgnoreCase));
}
