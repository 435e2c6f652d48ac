using Microsoft.Extensions.AI;

namespace ModelGateway.Caching;

/// <summary>The outcome of a <see cref="CacheFlight"/>.</summary>
/// <param name="Response">The response, for the caller that started the flight.</param>
/// <param name="Payload">The serialized entry followers copy their own response from; <see langword="null"/> when it could not be serialized.</param>
/// <param name="Degraded">Whether the response is the configured answer for when every option failed.</param>
internal sealed record CacheFlightResult(ChatResponse Response, byte[]? Payload, bool Degraded);
