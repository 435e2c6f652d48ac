namespace ModelGateway;

/// <summary>Whose requests may share a cache entry.</summary>
public enum CacheScope
{
    /// <summary>Every request with the same content.</summary>
    Global,

    /// <summary>Only requests of the same user.</summary>
    User,

    /// <summary>Only requests of the same team.</summary>
    Team,

    /// <summary>Only requests of the same feature.</summary>
    Feature,
}
