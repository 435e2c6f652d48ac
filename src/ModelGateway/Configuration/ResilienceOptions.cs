namespace ModelGateway;

/// <summary>Retries, timeouts, cooldowns and the last-resort answer.</summary>
public sealed class ResilienceOptions
{
    /// <summary>Gets or sets how many further attempts may follow the first within an alias.</summary>
    /// <value>The default value is 2.</value>
    public int MaxRetries { get; set; } = GatewayDefaults.MaxRetries;

    /// <summary>Gets or sets the longest one attempt may take.</summary>
    /// <value>The default value is 20 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = GatewayDefaults.AttemptTimeout;

    /// <summary>Gets or sets the longest a request may take across every attempt and wait.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan TotalTimeout { get; set; } = GatewayDefaults.TotalTimeout;

    /// <summary>Gets or sets how long a stream may take to produce its first chunk.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan FirstTokenTimeout { get; set; } = GatewayDefaults.FirstTokenTimeout;

    /// <summary>Gets or sets the longest silence allowed between two chunks of a stream.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan StreamIdleTimeout { get; set; } = GatewayDefaults.StreamIdleTimeout;

    /// <summary>Gets or sets the first backoff delay; each further retry doubles it, with jitter.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan BaseDelay { get; set; } = GatewayDefaults.BaseDelay;

    /// <summary>Gets or sets the longest backoff delay.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = GatewayDefaults.MaxDelay;

    /// <summary>Gets or sets the longest <c>Retry-After</c> the gateway waits for; a longer one moves on instead.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxRetryAfter { get; set; } = GatewayDefaults.MaxRetryAfter;

    /// <summary>Gets the cooldown settings for failing deployments.</summary>
    public CooldownOptions Cooldown { get; } = new();

    /// <summary>Gets what to do when every deployment and fallback failed.</summary>
    public OnAllFailedOptions OnAllFailed { get; } = new();
}
