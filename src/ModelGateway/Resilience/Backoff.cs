namespace ModelGateway.Resilience;

/// <summary>Exponential backoff with jitter, bounded by <see cref="ResilienceOptions.BaseDelay"/> and <see cref="ResilienceOptions.MaxDelay"/>.</summary>
internal static class Backoff
{
    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): BaseDelay × 2^(retry−1), ±25% jitter, clamped.</summary>
    public static TimeSpan Delay(int retry, ResilienceOptions options, double jitterDraw)
    {
        double baseTicks = options.BaseDelay.Ticks;
        double exponential = baseTicks * Math.Pow(2, Math.Min(retry - 1, 30));
        double jittered = exponential * (0.75 + (jitterDraw * 0.5));
        double clamped = Math.Clamp(jittered, baseTicks, Math.Max(baseTicks, options.MaxDelay.Ticks));
        return TimeSpan.FromTicks((long)clamped);
    }
}
