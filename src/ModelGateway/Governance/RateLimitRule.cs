namespace ModelGateway.Governance;

/// <summary>One configured rate limit at run time: a request bucket and a token bucket per key.</summary>
internal sealed class RateLimitRule : IDisposable
{
    public RateLimitRule(RateLimitOptions options, TimeProvider time)
    {
        Scope = options.Scope;
        Key = options.Scope == LimitScope.Global ? null : options.Key;
        Requests = options.RequestsPerMinute is { } rpm ? new KeyedTokenBuckets(rpm, time) : null;
        Tokens = options.TokensPerMinute is { } tpm ? new KeyedTokenBuckets(tpm, time) : null;
    }

    public LimitScope Scope { get; }

    public string? Key { get; }

    public KeyedTokenBuckets? Requests { get; }

    public KeyedTokenBuckets? Tokens { get; }

    public void Dispose()
    {
        Requests?.Dispose();
        Tokens?.Dispose();
    }
}
