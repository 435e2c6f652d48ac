using System.Threading.RateLimiting;

namespace ModelGateway.Governance;

/// <summary>
/// A token bucket of <c>limit</c> permits that refills continuously at <c>limit</c> per minute, on a
/// <see cref="TimeProvider"/>. The built-in <see cref="TokenBucketRateLimiter"/> cannot be given a clock (it reads
/// <see cref="System.Diagnostics.Stopwatch"/> and replenishes on a timer; dotnet/runtime#106447), so tests could not
/// control it and every bucket would need timer work; this one refills lazily when used and needs no timer.
/// It never queues: a request it cannot serve fails at once with <see cref="MetadataName.RetryAfter"/>.
/// A permit count larger than the whole bucket is served when the bucket is full (so it is not refused forever).
/// <see cref="Charge"/> takes permits after the fact (output tokens) and may leave the bucket in debt.
/// Thread-safe: one lock.
/// </summary>
internal sealed class ClockTokenBucket : ReplenishingRateLimiter
{
    private const double Epsilon = 1e-6;
    private static readonly RateLimitLease s_acquired = new BucketLease(true, null);

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _perTick;
    private double _tokens;
    private long _refilledAt;
    private long _usedAt;
    private bool _released;

    public ClockTokenBucket(int perMinute, TimeProvider time)
    {
        _time = time;
        _capacity = perMinute;
        _perTick = perMinute / (double)time.TimestampFrequency / 60d;
        _tokens = perMinute;
        _refilledAt = _usedAt = time.GetTimestamp();
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                long now = _time.GetTimestamp();
                Refill(now);
                return _tokens + Epsilon >= _capacity ? _time.GetElapsedTime(_usedAt, now) : null;
            }
        }
    }

    public override bool IsAutoReplenishing => false;

    /// <summary>Gets the time one permit takes to come back.</summary>
    public override TimeSpan ReplenishmentPeriod => TimeSpan.FromMinutes(1 / _capacity);

    public override bool TryReplenish()
    {
        lock (_gate)
        {
            Refill(_time.GetTimestamp());
            return true;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill(_time.GetTimestamp());
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)Math.Floor(_tokens) };
        }
    }

    /// <summary>Takes <paramref name="permitCount"/> permits, or fails with the time until they are there; <see langword="null"/> once released.</summary>
    internal RateLimitLease? TryAcquire(int permitCount)
    {
        lock (_gate)
        {
            if (_released)
            {
                return null;
            }

            long now = _time.GetTimestamp();
            Refill(now);
            _usedAt = now;
            double needed = Math.Min(permitCount, _capacity);
            if (permitCount == 0 ? _tokens > Epsilon : _tokens + Epsilon >= needed)
            {
                _tokens -= permitCount;
                return s_acquired;
            }

            if (permitCount == 0)
            {
                needed = Math.Min(1, _capacity);
            }

            // Whole milliseconds, rounded up: retrying after RetryAfter succeeds (Epsilon absorbs floating-point dust).
            double seconds = (needed - _tokens) / _perTick / _time.TimestampFrequency;
            return new BucketLease(false, TimeSpan.FromMilliseconds(Math.Ceiling((seconds * 1000) - Epsilon)));
        }
    }

    /// <summary>Takes permits after the fact (output tokens once known); the bucket may go into debt.</summary>
    internal bool Charge(long count)
    {
        lock (_gate)
        {
            if (_released)
            {
                return false;
            }

            long now = _time.GetTimestamp();
            Refill(now);
            _usedAt = now;
            _tokens -= count;
            return true;
        }
    }

    /// <summary>Gives back permits taken for a request that was then refused elsewhere.</summary>
    internal void Refund(long count)
    {
        lock (_gate)
        {
            _tokens = Math.Min(_capacity, _tokens + count);
        }
    }

    /// <summary>Releases the bucket when it is full again (a full bucket is the same as a new one, so nothing is forgotten).</summary>
    internal bool TryRelease()
    {
        lock (_gate)
        {
            Refill(_time.GetTimestamp());
            _released = _tokens + Epsilon >= _capacity;
            return _released;
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        return TryAcquire(permitCount) ?? throw new ObjectDisposedException(nameof(ClockTokenBucket));
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<RateLimitLease>(AttemptAcquireCore(permitCount));
    }

    private void Refill(long now)
    {
        long elapsed = now - _refilledAt;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _perTick));
            _refilledAt = now;
        }
    }

    /// <summary>A lease that holds nothing to give back (token buckets refill with time), with the wait on failure.</summary>
    private sealed class BucketLease : RateLimitLease
    {
        private static readonly string[] s_retryAfterOnly = [MetadataName.RetryAfter.Name];
        private readonly TimeSpan? _retryAfter;

        public BucketLease(bool acquired, TimeSpan? retryAfter)
        {
            IsAcquired = acquired;
            _retryAfter = retryAfter;
        }

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : s_retryAfterOnly;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (_retryAfter is { } retryAfter && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
