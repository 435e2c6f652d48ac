namespace ModelGateway;

/// <summary>
/// A provider call failed. <see cref="Kind"/> says how the gateway classified the failure; the message never
/// contains credentials.
/// </summary>
public class ProviderException : ModelGatewayException
{
    /// <summary>Initializes a new instance of the <see cref="ProviderException"/> class.</summary>
    /// <param name="kind">How the failure is classified.</param>
    /// <param name="message">A message that describes the failure. It must not contain secrets.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ProviderException(ProviderErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderException"/> class that also lists the request's attempts.</summary>
    internal ProviderException(ProviderErrorKind kind, string message, Exception? innerException, IReadOnlyList<GatewayAttempt> attempts)
        : base(message, attempts, innerException)
    {
        Kind = kind;
    }

    /// <summary>Gets how the failure is classified.</summary>
    public ProviderErrorKind Kind { get; }

    /// <summary>Gets the configured name of the provider that failed, when known.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the provider's model id the call was made for, when known.</summary>
    public string? ProviderModel { get; init; }

    /// <summary>Gets the HTTP status code the provider answered with, or <see langword="null"/> when there was no HTTP answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets how long the provider asked the caller to wait before trying again, when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the provider's own error code or type (for example <c>context_length_exceeded</c>), when it sent one.</summary>
    public string? ProviderErrorCode { get; init; }
}
