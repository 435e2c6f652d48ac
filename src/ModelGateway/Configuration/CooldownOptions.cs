namespace ModelGateway;

/// <summary>When a failing deployment is skipped for a while.</summary>
public sealed class CooldownOptions
{
    /// <summary>Gets or sets how many counted failures inside <see cref="SamplingWindow"/> start a cooldown.</summary>
    /// <value>The default value is 3.</value>
    public int FailureThreshold { get; set; } = GatewayDefaults.CooldownFailureThreshold;

    /// <summary>Gets or sets the window in which failures are counted.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan SamplingWindow { get; set; } = GatewayDefaults.CooldownSamplingWindow;

    /// <summary>Gets or sets how long a deployment is skipped.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Duration { get; set; } = GatewayDefaults.CooldownDuration;
}
