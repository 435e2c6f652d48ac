namespace ModelGateway;

/// <summary>A request was rejected before any provider call because a configured rate limit is used up.</summary>
public sealed class RateLimitExceededException : ModelGatewayException
{
    /// <summary>Initializes a new instance of the <see cref="RateLimitExceededException"/> class.</summary>
    /// <param name="scope">The scope of the limit that rejected the request.</param>
    /// <param name="key">The key within the scope, or <see langword="null"/> for <see cref="LimitScope.Global"/>.</param>
    /// <param name="retryAfter">How long until a permit is expected to be available, when known.</param>
    public RateLimitExceededException(LimitScope scope, string? key, TimeSpan? retryAfter)
        : base($"The {scope} rate limit{(key is null ? string.Empty : $" for '{key}'")} is exceeded{(retryAfter is { } r ? $"; retry after {r.TotalSeconds:0.###} s" : string.Empty)}.")
    {
        Scope = scope;
        Key = key;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the scope of the limit that rejected the request.</summary>
    public LimitScope Scope { get; }

    /// <summary>Gets the key within the scope, or <see langword="null"/> for the global limit.</summary>
    public string? Key { get; }

    /// <summary>Gets how long until a permit is expected to be available, when known.</summary>
    public TimeSpan? RetryAfter { get; }
}
