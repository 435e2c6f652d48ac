namespace ModelGateway;

/// <summary>The default values of the gateway's options, in one place.</summary>
internal static class GatewayDefaults
{
    public const string SectionName = "ModelGateway";
    public const double Weight = 1;
    public const int MaxRetries = 2;
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan FirstTokenTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan StreamIdleTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);
    public const int CooldownFailureThreshold = 3;
    public static readonly TimeSpan CooldownSamplingWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan CooldownDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan CacheTtl = TimeSpan.FromHours(1);

    /// <summary>How many aliases deep a chain of fallbacks and routes may go.</summary>
    public const int MaxFallbackDepth = 5;

    /// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client every provider uses.</summary>
    public const string HttpClientName = "ModelGateway";
}
