namespace ModelGateway.Resilience;

/// <summary>
/// Cancels one streamed attempt when its provider stays silent too long: <c>FirstTokenTimeout</c> for the first chunk,
/// <c>StreamIdleTimeout</c> for each further one, timed only while a chunk is awaited. Its token is linked to the caller's,
/// so the provider stream sees either cancellation; <see cref="TimedOut"/> tells them apart. The timer runs on the
/// gateway's <see cref="TimeProvider"/>. Owned and disposed by the one request that created it.
/// </summary>
internal sealed class StreamWatchdog : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly ITimer _timer;
    private int _timedOut;

    public StreamWatchdog(TimeProvider timeProvider, CancellationToken callerToken)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        _timer = timeProvider.CreateTimer(static state => ((StreamWatchdog)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets whether the watchdog (not the caller) cancelled the stream.</summary>
    public bool TimedOut => Volatile.Read(ref _timedOut) != 0;

    /// <summary>Gets the limit it was last armed with.</summary>
    public TimeSpan Limit { get; private set; }

    public void Arm(TimeSpan limit)
    {
        Limit = limit;
        _timer.Change(limit, Timeout.InfiniteTimeSpan);
    }

    public void Disarm() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Moves <paramref name="stream"/> on, bounded by <paramref name="limit"/>. The timer runs only while a chunk is
    /// actually awaited: a chunk already buffered (the common case inside one network read) costs no timer change.
    /// </summary>
    public ValueTask<bool> MoveNextAsync<T>(IAsyncEnumerator<T> stream, TimeSpan limit)
    {
        Limit = limit;
        ValueTask<bool> next = stream.MoveNextAsync();
        return next.IsCompleted ? next : AwaitArmedAsync(next, limit);
    }

    private async ValueTask<bool> AwaitArmedAsync(ValueTask<bool> next, TimeSpan limit)
    {
        Arm(limit);
        try
        {
            return await next.ConfigureAwait(false);
        }
        finally
        {
            Disarm();
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _cancellation.Dispose();
    }

    private void Fire()
    {
        Volatile.Write(ref _timedOut, 1);
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended as the timer fired.
        }
    }
}
