namespace ModelGateway.Benchmarks;

/// <summary>
/// Runs the same work on <c>n</c> callers at once: the calling thread plus <c>n - 1</c> threads started once and parked
/// between runs, so that starting threads is not part of what is measured (a routing decision takes tens of
/// nanoseconds; a thread start, tens of microseconds). <see cref="Run"/> returns when every caller has finished.
/// </summary>
internal sealed class CallerGroup : IDisposable
{
    private readonly Thread[] _threads;
    private readonly Barrier _start;
    private readonly Barrier _done;
    private Action<int>? _work;
    private volatile bool _stopping;

    public CallerGroup(int callers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(callers, 1);
        Callers = callers;
        _start = new Barrier(callers);
        _done = new Barrier(callers);
        _threads = new Thread[callers - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int caller = i + 1;
            _threads[i] = new Thread(() => Loop(caller)) { IsBackground = true, Name = $"caller {caller}" };
            _threads[i].Start();
        }
    }

    public int Callers { get; }

    /// <summary>Calls <paramref name="work"/> once on every caller (with the caller's number, 0 on this thread) and waits for all.</summary>
    public void Run(Action<int> work)
    {
        if (Callers == 1)
        {
            work(0);
            return;
        }

        _work = work;
        _start.SignalAndWait();
        work(0);
        _done.SignalAndWait();
    }

    public void Dispose()
    {
        if (Callers > 1)
        {
            _stopping = true;
            _start.SignalAndWait();
            foreach (Thread thread in _threads)
            {
                thread.Join();
            }
        }

        _start.Dispose();
        _done.Dispose();
    }

    private void Loop(int caller)
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            _work!(caller);
            _done.SignalAndWait();
        }
    }
}
