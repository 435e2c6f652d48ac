namespace ModelGateway.Routing;

/// <summary>
/// An exponentially weighted moving average of latency in milliseconds, for <see cref="RoutingStrategy.LowestLatency"/>.
/// Lock-free: updates are a compare-exchange loop on the value's bits.
/// </summary>
internal sealed class LatencyAverage
{
    // Each new sample moves the average a fifth of the way: recent enough to follow a provider slowing down, smooth
    // enough that one slow answer does not send all traffic elsewhere.
    private const double Smoothing = 0.2;
    private long _bits = BitConverter.DoubleToInt64Bits(double.NaN);

    /// <summary>Gets the average in milliseconds, or <see cref="double.NaN"/> before the first sample.</summary>
    public double Milliseconds => BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));

    public void Record(TimeSpan sample)
    {
        double value = Math.Max(0, sample.TotalMilliseconds);
        while (true)
        {
            long bits = Volatile.Read(ref _bits);
            double current = BitConverter.Int64BitsToDouble(bits);
            double next = double.IsNaN(current) ? value : current + (Smoothing * (value - current));
            if (Interlocked.CompareExchange(ref _bits, BitConverter.DoubleToInt64Bits(next), bits) == bits)
            {
                return;
            }
        }
    }
}
