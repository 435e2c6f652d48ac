using Microsoft.Extensions.AI;

namespace ModelGateway.Caching;

/// <summary>A cached answer: the response and who gave it, valid until <see cref="ExpiresAt"/> on the gateway's clock.</summary>
internal readonly record struct CacheEntry(DateTimeOffset ExpiresAt, string Model, string? Provider, string? ProviderModel, ChatResponse Response);
