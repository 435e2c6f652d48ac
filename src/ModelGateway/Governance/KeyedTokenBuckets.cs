using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace ModelGateway.Governance;

/// <summary>
/// A <see cref="PartitionedRateLimiter{TResource}"/> with one <see cref="ClockTokenBucket"/> per key (a user, team, feature,
/// tag or alias). Buckets that are full again are released at most once per sweep interval, on the calling thread, so
/// many distinct keys do not leave as many limiters alive. Thread-safe.
/// </summary>
internal sealed class KeyedTokenBuckets : PartitionedRateLimiter<string>
{
    private readonly ConcurrentDictionary<string, ClockTokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly int _perMinute;
    private readonly TimeProvider _time;
    private long _sweptAt;
    private int _sweeping;

    public KeyedTokenBuckets(int perMinute, TimeProvider time)
    {
        _perMinute = perMinute;
        _time = time;
        _sweptAt = time.GetTimestamp();
    }

    /// <summary>Gets the number of live buckets.</summary>
    public int Count => _buckets.Count;

    public override RateLimiterStatistics? GetStatistics(string resource) =>
        _buckets.TryGetValue(resource, out ClockTokenBucket? bucket) ? bucket.GetStatistics() : new RateLimiterStatistics { CurrentAvailablePermits = _perMinute };

    /// <summary>Takes permits after the fact from the key's bucket (which may go into debt).</summary>
    public void Charge(string key, long count)
    {
        if (count <= 0)
        {
            return;
        }

        while (true)
        {
            ClockTokenBucket bucket = Bucket(key);
            if (bucket.Charge(count))
            {
                return;
            }

            _buckets.TryRemove(new KeyValuePair<string, ClockTokenBucket>(key, bucket)); // released meanwhile: replace it
        }
    }

    /// <summary>Gives back permits to the key's bucket, if it is still alive (a released bucket is full anyway).</summary>
    public void Refund(string key, long count)
    {
        if (count > 0 && _buckets.TryGetValue(key, out ClockTokenBucket? bucket))
        {
            bucket.Refund(count);
        }
    }

    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount)
    {
        SweepIfDue();
        while (true)
        {
            ClockTokenBucket bucket = Bucket(resource);
            if (bucket.TryAcquire(permitCount) is { } lease)
            {
                return lease;
            }

            _buckets.TryRemove(new KeyValuePair<string, ClockTokenBucket>(resource, bucket)); // released meanwhile: replace it
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<RateLimitLease>(AttemptAcquireCore(resource, permitCount));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (KeyValuePair<string, ClockTokenBucket> pair in _buckets)
            {
                pair.Value.Dispose();
            }

            _buckets.Clear();
        }

        base.Dispose(disposing);
    }

    private ClockTokenBucket Bucket(string key)
    {
        if (_buckets.TryGetValue(key, out ClockTokenBucket? bucket))
        {
            return bucket;
        }

        return _buckets.GetOrAdd(key, static (_, self) => new ClockTokenBucket(self._perMinute, self._time), this);
    }

    private void SweepIfDue()
    {
        long now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Interlocked.Read(ref _sweptAt), now) < Cost.CostDefaults.SweepInterval
            || Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref _sweptAt, now);
            foreach (KeyValuePair<string, ClockTokenBucket> pair in _buckets)
            {
                if (pair.Value.TryRelease())
                {
                    _buckets.TryRemove(pair);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
