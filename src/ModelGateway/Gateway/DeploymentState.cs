namespace ModelGateway;

/// <summary>Whether the router sends traffic to a deployment, as its cooldown decides.</summary>
public enum DeploymentState
{
    /// <summary>Taking traffic normally.</summary>
    Healthy,

    /// <summary>Skipped after too many counted failures, until <see cref="DeploymentHealth.CooldownUntil"/> (unless every
    /// deployment of its alias is cooling down, when the least recently failed one is still tried).</summary>
    CoolingDown,

    /// <summary>The cooldown ran out: the next request is a trial; its success makes the deployment healthy again, its failure
    /// starts another cooldown.</summary>
    HalfOpen,
}
