namespace ModelGateway.Caching;

/// <summary>What the followers of a <see cref="CacheFlight"/> receive (the leader gets the response itself).</summary>
/// <param name="Payload">The serialized entry followers copy their own response from; <see langword="null"/> when it could not be serialized.</param>
/// <param name="Degraded">Whether the response is the configured answer for when every option failed.</param>
internal readonly record struct CacheFlightResult(byte[]? Payload, bool Degraded);
