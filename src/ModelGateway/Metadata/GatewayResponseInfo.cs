namespace ModelGateway;

/// <summary>
/// What the gateway did to produce a response. Read it with
/// <see cref="GatewayChatResponseExtensions.GetGatewayInfo(Microsoft.Extensions.AI.ChatResponse)"/>.
/// </summary>
/// <remarks>Instances are immutable and safe to share across threads.</remarks>
public sealed class GatewayResponseInfo
{
    /// <summary>Gets the alias that answered (after routes and fallbacks), or the <c>provider/model</c> address used.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the configured name of the provider that answered, or <see langword="null"/> when none did (a degraded answer).</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the provider's model id that answered, or <see langword="null"/> when none did.</summary>
    public string? ProviderModel { get; init; }

    /// <summary>Gets every attempt in order, the successful one last. Empty for a cache hit.</summary>
    public IReadOnlyList<GatewayAttempt> Attempts { get; init; } = [];

    /// <summary>Gets whether the answer came from the response cache.</summary>
    public bool CacheHit { get; init; }

    /// <summary>Gets the cost of the request in US dollars, or <see langword="null"/> when it could not be priced.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Gets how long the gateway took to answer, from the call to the last byte.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Gets whether the answer is the configured <c>OnAllFailed</c> message because every option failed.</summary>
    public bool Degraded { get; init; }
}
