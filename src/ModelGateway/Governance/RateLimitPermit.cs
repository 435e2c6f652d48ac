namespace ModelGateway.Governance;

/// <summary>What one admitted request holds: the token buckets to charge its output tokens to when it ends.</summary>
internal readonly struct RateLimitPermit
{
    public RateLimitPermit(List<(KeyedTokenBuckets Buckets, string Key)>? tokenBuckets)
    {
        TokenBuckets = tokenBuckets;
    }

    public List<(KeyedTokenBuckets Buckets, string Key)>? TokenBuckets { get; }
}
