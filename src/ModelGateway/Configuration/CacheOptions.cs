namespace ModelGateway;

/// <summary>The exact-match response cache.</summary>
public sealed class CacheOptions
{
    /// <summary>Gets or sets whether responses are cached.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets how long an entry lives.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan Ttl { get; set; } = GatewayDefaults.CacheTtl;

    /// <summary>Gets or sets whose requests may share an entry.</summary>
    /// <value>The default value is <see cref="CacheScope.Global"/>.</value>
    public CacheScope Scope { get; set; } = CacheScope.Global;

    /// <summary>Gets or sets whether streamed responses are stored and replayed.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CacheStreaming { get; set; } = true;
}
