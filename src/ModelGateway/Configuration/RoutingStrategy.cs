namespace ModelGateway;

/// <summary>How a deployment is chosen within an alias.</summary>
public enum RoutingStrategy
{
    /// <summary>At random, in proportion to <see cref="DeploymentOptions.Weight"/>.</summary>
    Weighted,

    /// <summary>In turn.</summary>
    RoundRobin,

    /// <summary>The first healthy deployment in list order.</summary>
    Priority,

    /// <summary>The deployment with the fewest requests in flight.</summary>
    LeastBusy,

    /// <summary>The deployment with the lowest recent latency.</summary>
    LowestLatency,

    /// <summary>The cheapest deployment for the request's estimated tokens.</summary>
    LowestCost,

    /// <summary>The deployment with the lowest share of its <c>Rpm</c>/<c>Tpm</c> used this minute.</summary>
    UsageBased,
}
