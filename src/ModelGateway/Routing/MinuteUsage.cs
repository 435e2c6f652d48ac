using System.Runtime.CompilerServices;

namespace ModelGateway.Routing;

/// <summary>
/// Requests and tokens a deployment took in the current UTC minute, for <c>Rpm</c>/<c>Tpm</c> pre-call checks and
/// <see cref="RoutingStrategy.UsageBased"/>. Lock-free: the first writer of a new minute resets the counters, so a write
/// racing that reset may be lost, which only makes the count approximate at the turn of a minute.
/// </summary>
internal sealed class MinuteUsage
{
    private long _minute;
    private long _requests;
    private long _tokens;

    public static long MinuteOf(long utcTicks) => utcTicks / TimeSpan.TicksPerMinute;

    public void AddRequest(long minute, long tokens)
    {
        Roll(minute);
        Interlocked.Increment(ref _requests);
        if (tokens > 0)
        {
            Interlocked.Add(ref _tokens, tokens);
        }
    }

    public void AddTokens(long minute, long tokens)
    {
        if (tokens > 0)
        {
            Roll(minute);
            Interlocked.Add(ref _tokens, tokens);
        }
    }

    public long Requests(long minute) => Volatile.Read(ref _minute) == minute ? Volatile.Read(ref _requests) : 0;

    public long Tokens(long minute) => Volatile.Read(ref _minute) == minute ? Volatile.Read(ref _tokens) : 0;

    /// <summary>Reads both counters of <paramref name="minute"/> with one check of the minute (zero for another minute):
    /// what <see cref="RoutingStrategy.UsageBased"/> reads for every candidate on every decision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Read(long minute, out long requests, out long tokens)
    {
        if (Volatile.Read(ref _minute) == minute)
        {
            requests = Volatile.Read(ref _requests);
            tokens = Volatile.Read(ref _tokens);
        }
        else
        {
            requests = 0;
            tokens = 0;
        }
    }

    private void Roll(long minute)
    {
        long current = Volatile.Read(ref _minute);
        if (current < minute && Interlocked.CompareExchange(ref _minute, minute, current) == current)
        {
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _tokens, 0);
        }
    }
}
