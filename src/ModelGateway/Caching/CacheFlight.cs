namespace ModelGateway.Caching;

/// <summary>
/// One upstream call on a cold key that concurrent identical requests share (single flight). Built to cost almost
/// nothing while its leader is alone: the shared completion is created only when a second caller arrives, and a
/// cancellation source only when the leader's own token can be cancelled. The call runs on the flight's token, which
/// is cancelled only when every caller waiting for it has given up, so one caller's cancellation never cancels the
/// others' answer. Thread-safe (every state change happens under a lock on the flight).
/// </summary>
internal sealed class CacheFlight
{
    // Never disposed: it owns no timer, and a caller leaving late must still be able to call Cancel safely.
    // Null when the leader's token cannot be cancelled: then the leader never leaves before the end, so nobody ever cancels.
    private readonly CancellationTokenSource? _cancellation;
    private TaskCompletionSource<CacheFlightResult>? _followers;
    private CacheFlightResult _result;
    private Exception? _error;
    private bool _done;
    private int _callers;
    private bool _joined;
    private bool _abandoned;

    /// <summary>Creates a flight with its leader as its only caller.</summary>
    /// <param name="leaderCanCancel">Whether the leader's token can be cancelled (the leader may leave early).</param>
    public CacheFlight(bool leaderCanCancel)
    {
        _callers = 1;
        _cancellation = leaderCanCancel ? new CancellationTokenSource() : null;
    }

    /// <summary>Gets the token the upstream call runs with (<see cref="CancellationToken.None"/> when nobody can cancel it).</summary>
    public CancellationToken Token => _cancellation?.Token ?? CancellationToken.None;

    /// <summary>Gets whether anyone besides the leader joined the flight.</summary>
    public bool HasFollowers
    {
        get
        {
            lock (this)
            {
                return _joined;
            }
        }
    }

    /// <summary>Adds a follower; fails when every earlier caller already gave up and the call is being cancelled.</summary>
    public bool TryJoin()
    {
        lock (this)
        {
            if (_abandoned)
            {
                return false;
            }

            _callers++;
            _joined = true;
            return true;
        }
    }

    /// <summary>Gets the outcome for a follower: completed already, or completed when the call ends.</summary>
    public Task<CacheFlightResult> WaitForResult()
    {
        lock (this)
        {
            if (!_done)
            {
                return (_followers ??= new TaskCompletionSource<CacheFlightResult>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            if (_error is null)
            {
                return Task.FromResult(_result);
            }

            return _error is OperationCanceledException && _cancellation?.IsCancellationRequested == true
                ? Task.FromCanceled<CacheFlightResult>(_cancellation.Token)
                : Task.FromException<CacheFlightResult>(_error);
        }
    }

    /// <summary>Removes a caller; the last one to leave before the call finished cancels it.</summary>
    public void Leave()
    {
        bool cancel;
        lock (this)
        {
            cancel = --_callers == 0 && !_done;
            _abandoned |= cancel;
        }

        if (cancel)
        {
            _cancellation?.Cancel();
        }
    }

    public void Complete(CacheFlightResult result)
    {
        TaskCompletionSource<CacheFlightResult>? followers;
        lock (this)
        {
            _result = result;
            _done = true;
            followers = _followers;
        }

        followers?.TrySetResult(result);
    }

    public void Fail(Exception exception)
    {
        TaskCompletionSource<CacheFlightResult>? followers;
        lock (this)
        {
            _error = exception;
            _done = true;
            followers = _followers;
        }

        if (followers is null)
        {
            return;
        }

        if (exception is OperationCanceledException && _cancellation?.IsCancellationRequested == true)
        {
            followers.TrySetCanceled(_cancellation.Token);
        }
        else
        {
            followers.TrySetException(exception);

            // Every follower may already have left; the failure must not resurface as an unobserved task exception.
            _ = followers.Task.Exception;
        }
    }
}
