namespace ModelGateway.Routing;

/// <summary>The router's fixed tuning values (not options): one home, each with the reason for its value.</summary>
internal static class RoutingConstants
{
    /// <summary>
    /// The share of <see cref="RoutingStrategy.LowestLatency"/> choices made at random among the candidates, so that a
    /// deployment that was slow once is measured again and can win traffic back after it recovers.
    /// </summary>
    public const double LatencyExplorationRate = 0.05;

    /// <summary>The output size <see cref="RoutingStrategy.LowestCost"/> prices when the request sets no <c>MaxOutputTokens</c>.</summary>
    public const int AssumedOutputTokens = 256;
}
