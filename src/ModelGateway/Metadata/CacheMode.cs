namespace ModelGateway;

/// <summary>How the response cache treats one request.</summary>
public enum CacheMode
{
    /// <summary>Read from the cache and store the answer (when caching is enabled).</summary>
    Default,

    /// <summary>Neither read from nor write to the cache.</summary>
    Bypass,

    /// <summary>Skip reading, call the provider, and store the fresh answer.</summary>
    Refresh,

    /// <summary>Read from the cache, but never store this request's answer.</summary>
    NoStore,
}
