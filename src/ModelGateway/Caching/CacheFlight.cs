namespace ModelGateway.Caching;

/// <summary>
/// One upstream call on a cold key that concurrent identical requests share (single flight). The call runs on the
/// flight's own cancellation token, which is cancelled only when every caller waiting for it has given up, so one
/// caller's cancellation never cancels the others' answer. Thread-safe.
/// </summary>
internal sealed class CacheFlight
{
    private readonly object _gate = new();
    // Never disposed: it owns no timer, and a caller leaving late must still be able to call Cancel safely.
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<CacheFlightResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _callers;
    private int _joined;
    private bool _abandoned;

    /// <summary>Gets the token the upstream call runs with.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets the outcome, shared by every caller.</summary>
    public Task<CacheFlightResult> Result => _result.Task;

    /// <summary>Gets whether anyone besides the caller that started the flight joined it.</summary>
    public bool HasFollowers => Volatile.Read(ref _joined) > 1;

    /// <summary>Adds a caller; fails when every earlier caller already gave up and the call is being cancelled.</summary>
    public bool TryJoin()
    {
        lock (_gate)
        {
            if (_abandoned)
            {
                return false;
            }

            _callers++;
            _joined++;
            return true;
        }
    }

    /// <summary>Removes a caller; the last one to leave before the call finished cancels it.</summary>
    public void Leave()
    {
        bool cancel;
        lock (_gate)
        {
            cancel = --_callers == 0 && !_result.Task.IsCompleted;
            _abandoned |= cancel;
        }

        if (cancel)
        {
            _cancellation.Cancel();
        }
    }

    public void Complete(CacheFlightResult result) => _result.TrySetResult(result);

    public void Fail(Exception exception)
    {
        if (exception is OperationCanceledException && _cancellation.IsCancellationRequested)
        {
            _result.TrySetCanceled(_cancellation.Token);
        }
        else
        {
            _result.TrySetException(exception);

            // Every caller may already have left; the failure must not resurface as an unobserved task exception.
            _ = _result.Task.Exception;
        }
    }
}
