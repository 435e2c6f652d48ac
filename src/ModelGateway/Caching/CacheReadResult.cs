namespace ModelGateway.Caching;

/// <summary>What reading a cache entry found.</summary>
internal enum CacheReadResult
{
    /// <summary>A valid, unexpired entry.</summary>
    Hit,

    /// <summary>A valid entry past its lifetime: a miss.</summary>
    Expired,

    /// <summary>Bytes that are not an entry this version wrote: a miss, and the entry is overwritten.</summary>
    Corrupt,
}
