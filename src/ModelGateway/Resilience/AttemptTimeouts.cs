namespace ModelGateway.Resilience;

/// <summary>
/// Bounds non-streamed attempts by a time limit on the gateway's <see cref="TimeProvider"/>: each attempt borrows a
/// <see cref="CancellationTokenSource"/> that the caller's token also cancels and that the limit cancels when it passes.
/// A source that ends uncancelled is reset and kept for a later attempt (on the system clock, where
/// <see cref="CancellationTokenSource.TryReset"/> can stop its timer), so an attempt usually allocates nothing and arms
/// one timer. Thread-safe: one instance serves every request.
/// </summary>
internal sealed class AttemptTimeouts
{
    /// <summary>How many idle sources are kept for reuse; attempts in flight beyond that create their own.</summary>
    private const int PoolSize = 32;

    private static readonly Action<object?> CancelSource = static state => ((CancellationTokenSource)state!).Cancel();

    private readonly TimeProvider _time;
    private readonly CancellationTokenSource?[] _idle = new CancellationTokenSource?[PoolSize];

    public AttemptTimeouts(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>
    /// Starts the clock for one attempt. A limit that is not positive applies none (the caller's token alone bounds the
    /// attempt). The returned deadline must be <see cref="AttemptDeadline.Release"/>d once the attempt has ended.
    /// </summary>
    public AttemptDeadline Start(TimeSpan limit, CancellationToken callerToken)
    {
        if (limit <= TimeSpan.Zero)
        {
            return new AttemptDeadline(null, default, callerToken, this);
        }

        CancellationTokenSource source = Rent();
        CancellationTokenRegistration link = callerToken.UnsafeRegister(CancelSource, source);
        source.CancelAfter(limit);
        return new AttemptDeadline(source, link, source.Token, this);
    }

    internal void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            for (int i = 0; i < _idle.Length; i++)
            {
                if (Volatile.Read(ref _idle[i]) is null && Interlocked.CompareExchange(ref _idle[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
    }

    private CancellationTokenSource Rent()
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            if (Volatile.Read(ref _idle[i]) is not null && Interlocked.Exchange(ref _idle[i], null) is { } idle)
            {
                return idle;
            }
        }

        return new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
    }
}

/// <summary>One attempt's time limit: the token to hand the provider, and whether the limit (not the caller) cancelled it.</summary>
internal readonly struct AttemptDeadline
{
    private readonly CancellationTokenSource? _source;
    private readonly CancellationTokenRegistration _link;
    private readonly AttemptTimeouts _owner;

    internal AttemptDeadline(CancellationTokenSource? source, CancellationTokenRegistration link, CancellationToken token, AttemptTimeouts owner)
    {
        _source = source;
        _link = link;
        Token = token;
        _owner = owner;
    }

    /// <summary>Gets the token the attempt runs under: cancelled by the caller or when the limit passes.</summary>
    public CancellationToken Token { get; }

    /// <summary>Gets whether the attempt's token was cancelled; when the caller's was not, the limit passed.</summary>
    public bool IsCancelled => _source?.IsCancellationRequested == true;

    /// <summary>Stops the clock and unlinks the caller's token; the source is reused when it was not cancelled.</summary>
    public void Release()
    {
        if (_source is not null)
        {
            // Disposing the link waits for a cancellation already running from the caller's token, so none arrives after reuse.
            _link.Dispose();
            _owner.Return(_source);
        }
    }
}
