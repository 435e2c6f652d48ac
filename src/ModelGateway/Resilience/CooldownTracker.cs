namespace ModelGateway.Resilience;

/// <summary>
/// One deployment's cooldown, a circuit breaker counted in failures: <see cref="CooldownOptions.FailureThreshold"/> counted
/// failures inside <see cref="CooldownOptions.SamplingWindow"/> open it for <see cref="CooldownOptions.Duration"/>; after
/// that it is half-open and lets exactly one trial attempt through, whose success closes it and whose failure opens it
/// again. Times are UTC ticks from the gateway's <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Thread-safe. The hot path (<see cref="IsAvailable"/>, <see cref="TryBegin"/>, a success while closed) is two volatile
/// reads and, for the one half-open trial, a compare-exchange; only failures and state changes take the small lock.
/// </remarks>
internal sealed class CooldownTracker
{
    private readonly object _gate = new();
    private readonly long[] _failures;
    private readonly long _windowTicks;
    private readonly long _durationTicks;
    private int _next;
    private int _count;
    private long _openUntil;
    private int _trial;
    private long _lastFailure;

    public CooldownTracker(CooldownOptions? options)
    {
        int threshold = Math.Max(1, options?.FailureThreshold ?? GatewayDefaults.CooldownFailureThreshold);
        _failures = new long[threshold];
        _windowTicks = (options?.SamplingWindow ?? GatewayDefaults.CooldownSamplingWindow).Ticks;
        _durationTicks = (options?.Duration ?? GatewayDefaults.CooldownDuration).Ticks;
    }

    /// <summary>Gets when the last counted failure happened (UTC ticks), or 0 when none has.</summary>
    public long LastFailureTicks => Volatile.Read(ref _lastFailure);

    /// <summary>Whether a new attempt may be sent now without forcing: closed, or half-open with its trial free.</summary>
    public bool IsAvailable(long now)
    {
        long until = Volatile.Read(ref _openUntil);
        return until == 0 || (now >= until && Volatile.Read(ref _trial) == 0);
    }

    /// <summary>Claims the right to send an attempt now. In the half-open state only one caller wins the trial.</summary>
    /// <param name="now">The current time, UTC ticks.</param>
    /// <param name="isTrial">Set when this attempt is the half-open trial; it must be ended with <see cref="OnSuccess"/>,
    /// <see cref="OnFailure"/> or <see cref="OnReleased"/> with the same flag.</param>
    public bool TryBegin(long now, out bool isTrial)
    {
        isTrial = false;
        long until = Volatile.Read(ref _openUntil);
        if (until == 0)
        {
            return true;
        }

        if (now < until)
        {
            return false;
        }

        isTrial = Interlocked.CompareExchange(ref _trial, 1, 0) == 0;
        return isTrial;
    }

    /// <summary>Records a success (or an answer that says nothing about health): closes a cooldown that has run its course.</summary>
    public void OnSuccess(long now)
    {
        long until = Volatile.Read(ref _openUntil);
        if (until != 0 && now >= until)
        {
            lock (_gate)
            {
                if (_openUntil != 0 && now >= _openUntil)
                {
                    Close();
                }
            }
        }
    }

    /// <summary>Records a failure that <see cref="ErrorPolicy.CountsTowardCooldown"/> counts.</summary>
    /// <returns><see langword="true"/> when this failure started (or restarted) a cooldown.</returns>
    public bool OnFailure(long now, bool isTrial)
    {
        lock (_gate)
        {
            _lastFailure = now;
            if (isTrial || (_openUntil != 0 && now >= _openUntil))
            {
                // The trial (or an attempt forced while every deployment cooled down) failed: cool down again.
                Open(now);
                return true;
            }

            _failures[_next] = now;
            _next = (_next + 1) % _failures.Length;
            if (_count < _failures.Length)
            {
                _count++;
            }

            // The ring holds the last FailureThreshold failures; the oldest is at _next once it is full.
            if (_count == _failures.Length && _failures[_next] > now - _windowTicks && _openUntil == 0)
            {
                Open(now);
                return true;
            }

            return false;
        }
    }

    /// <summary>Ends an attempt that said nothing about health (the caller cancelled): frees the trial if it was one.</summary>
    public void OnReleased(bool isTrial)
    {
        if (isTrial)
        {
            Volatile.Write(ref _trial, 0);
        }
    }

    /// <summary>Reads the state for <see cref="DeploymentHealth"/>.</summary>
    public (DeploymentState State, int RecentFailures, long OpenUntil) Snapshot(long now)
    {
        lock (_gate)
        {
            int recent = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_failures[i] > now - _windowTicks)
                {
                    recent++;
                }
            }

            DeploymentState state = _openUntil == 0 ? DeploymentState.Healthy
                : now < _openUntil ? DeploymentState.CoolingDown
                : DeploymentState.HalfOpen;
            return (state, recent, _openUntil);
        }
    }

    private void Open(long now)
    {
        Array.Clear(_failures);
        _count = 0;
        _next = 0;
        Volatile.Write(ref _trial, 0);
        Volatile.Write(ref _openUntil, now + _durationTicks);
    }

    private void Close()
    {
        Array.Clear(_failures);
        _count = 0;
        _next = 0;
        Volatile.Write(ref _trial, 0);
        Volatile.Write(ref _openUntil, 0);
    }
}
