using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelGateway.Gateway;

namespace ModelGateway.Governance;

/// <summary>
/// The configured rate limits: every limit that applies to a request takes one request permit and its estimated input
/// tokens before the call; output tokens are taken once reported. A rejection gives back what the other limits took.
/// Thread-safe.
/// </summary>
internal sealed partial class GatewayRateLimits : IDisposable
{
    private readonly RateLimitRule[] _rules;
    private readonly ILogger _logger;

    public GatewayRateLimits(IOptions<ModelGatewayOptions> options, TimeProvider time, ILoggerFactory? loggerFactory = null)
    {
        IList<RateLimitOptions> limits = options.Value.RateLimits;
        _rules = new RateLimitRule[limits.Count];
        for (int i = 0; i < _rules.Length; i++)
        {
            _rules[i] = new RateLimitRule(limits[i], time);
        }

        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ModelGateway.RateLimits");
    }

    public bool Enabled => _rules.Length > 0;

    /// <summary>Gets the number of live buckets across every limit (for tests of the memory bound).</summary>
    internal int PartitionCount
    {
        get
        {
            int count = 0;
            foreach (RateLimitRule rule in _rules)
            {
                count += (rule.Requests?.Count ?? 0) + (rule.Tokens?.Count ?? 0);
            }

            return count;
        }
    }

    /// <summary>Takes a request permit and <paramref name="estimatedInputTokens"/> from every limit that applies.</summary>
    /// <exception cref="RateLimitExceededException">A limit is used up; nothing stays taken.</exception>
    public RateLimitPermit Acquire(GatewayRequestContext context, int estimatedInputTokens)
    {
        List<(KeyedTokenBuckets Buckets, string Key, int Count)>? taken = null;
        List<(KeyedTokenBuckets Buckets, string Key)>? tokenBuckets = null;
        var keys = new List<string>(2);
        foreach (RateLimitRule rule in _rules)
        {
            keys.Clear();
            LimitKeys.Collect(rule.Scope, rule.Key, context, keys);
            foreach (string key in keys)
            {
                if (rule.Requests is { } requests)
                {
                    Take(rule, requests, key, 1, ref taken);
                }

                if (rule.Tokens is { } tokens)
                {
                    Take(rule, tokens, key, estimatedInputTokens, ref taken);
                    (tokenBuckets ??= []).Add((tokens, key));
                }
            }
        }

        return new RateLimitPermit(tokenBuckets);
    }

    /// <summary>Takes the output tokens the request reported from every token limit it was admitted by.</summary>
    public static void Complete(RateLimitPermit permit, long outputTokens)
    {
        if (permit.TokenBuckets is not { } buckets || outputTokens <= 0)
        {
            return;
        }

        foreach ((KeyedTokenBuckets tokens, string key) in buckets)
        {
            tokens.Charge(key, outputTokens);
        }
    }

    public void Dispose()
    {
        foreach (RateLimitRule rule in _rules)
        {
            rule.Dispose();
        }
    }

    private void Take(RateLimitRule rule, KeyedTokenBuckets buckets, string key, int count, ref List<(KeyedTokenBuckets Buckets, string Key, int Count)>? taken)
    {
        using RateLimitLease lease = buckets.AttemptAcquire(key, count);
        if (lease.IsAcquired)
        {
            (taken ??= []).Add((buckets, key, count));
            return;
        }

        if (taken is not null)
        {
            foreach ((KeyedTokenBuckets b, string k, int c) in taken)
            {
                b.Refund(k, c);
            }
        }

        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : null;
        string? reported = LimitKeys.Reported(rule.Scope, key);
        LogRejected(_logger, rule.Scope, reported ?? "(all)", ReferenceEquals(buckets, rule.Requests) ? "requests" : "tokens", retryAfter ?? TimeSpan.Zero);
        throw new RateLimitExceededException(rule.Scope, reported, retryAfter);
    }

    [LoggerMessage(1, LogLevel.Warning, "Rate limit rejected a request: the {Scope} {Kind} per minute limit for '{Key}' is used up; retry after {RetryAfter}.")]
    private static partial void LogRejected(ILogger logger, LimitScope scope, string key, string kind, TimeSpan retryAfter);
}
