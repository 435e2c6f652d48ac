namespace ModelGateway.Governance;

/// <summary>
/// One budget's spend for one key in the current period, and the cost reserved by calls in flight. Rolls over to a new
/// period lazily, when first touched after the boundary (reservations in flight carry over). Thread-safe: one lock.
/// </summary>
internal sealed class BudgetCounter
{
    private readonly object _gate = new();
    private readonly BudgetPeriod _period;
    private DateTimeOffset _periodStart;
    private decimal _spent;
    private decimal _reserved;
    private int _inFlight;
    private long _lastUsed;
    private bool _released;

    public BudgetCounter(BudgetPeriod period, DateTimeOffset periodStart, decimal spent, long now)
    {
        _period = period;
        _periodStart = periodStart;
        _spent = spent;
        _lastUsed = now;
    }

    /// <summary>The outcome of <see cref="TryReserve"/>.</summary>
    public enum Result
    {
        Reserved,
        Exceeded,
        Released,
    }

    public decimal Spent
    {
        get
        {
            lock (_gate)
            {
                return _spent;
            }
        }
    }

    /// <summary>
    /// Reserves <paramref name="estimate"/> unless what was spent and reserved already reached <paramref name="limit"/>.
    /// Because each call is admitted only while the total is under the limit, concurrent calls overshoot it by at most
    /// one call's worth (as long as no call costs more than its estimate).
    /// </summary>
    public Result TryReserve(DateTimeOffset now, long timestamp, decimal estimate, decimal limit, out decimal used, out DateTimeOffset periodStart)
    {
        lock (_gate)
        {
            periodStart = _periodStart;
            used = 0;
            if (_released)
            {
                return Result.Released;
            }

            RollOver(now);
            periodStart = _periodStart;
            used = _spent + _reserved;
            _lastUsed = timestamp;
            if (used >= limit)
            {
                return Result.Exceeded;
            }

            _reserved += estimate;
            _inFlight++;
            return Result.Reserved;
        }
    }

    /// <summary>Ends a reserved call: gives back its reservation and adds what it actually cost.</summary>
    public void Settle(DateTimeOffset now, long timestamp, decimal estimate, decimal actual)
    {
        lock (_gate)
        {
            RollOver(now);
            _reserved = Math.Max(0, _reserved - estimate);
            _spent += actual;
            _inFlight--;
            _lastUsed = timestamp;
        }
    }

    /// <summary>Marks the counter released when nothing is in flight and it was idle for <paramref name="idle"/>; returns whether it was.</summary>
    public bool TryRelease(TimeProvider time, long timestamp, TimeSpan idle)
    {
        lock (_gate)
        {
            if (_inFlight == 0 && time.GetElapsedTime(_lastUsed, timestamp) >= idle)
            {
                _released = true;
            }

            return _released;
        }
    }

    private void RollOver(DateTimeOffset now)
    {
        DateTimeOffset start = BudgetPeriods.Start(_period, now);
        if (start > _periodStart)
        {
            _periodStart = start;
            _spent = 0;
        }
    }
}
