namespace ModelGateway;

/// <summary>A snapshot of one deployment's health.</summary>
/// <remarks>Instances are immutable and safe to share across threads.</remarks>
public sealed class DeploymentHealth
{
    /// <summary>Gets the alias the deployment belongs to.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the configured provider name.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the provider's model id.</summary>
    public required string ProviderModel { get; init; }

    /// <summary>Gets the number of calls in flight now.</summary>
    public long InFlight { get; init; }

    /// <summary>Gets the number of attempts made since start-up.</summary>
    public long Requests { get; init; }

    /// <summary>Gets the number of failed attempts since start-up.</summary>
    public long Failures { get; init; }

    /// <summary>Gets how the last failure was classified, if any.</summary>
    public ProviderErrorKind? LastFailureKind { get; init; }

    /// <summary>Gets when the last failure happened, if any.</summary>
    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>Gets whether the router sends the deployment traffic: healthy, cooling down, or half-open (awaiting one trial).</summary>
    public DeploymentState State { get; init; }

    /// <summary>Gets how many failures that count toward cooldown happened inside the current <c>SamplingWindow</c>
    /// (reset when a cooldown starts or ends).</summary>
    public int RecentFailures { get; init; }

    /// <summary>Gets when the current cooldown ends, or <see langword="null"/> when the deployment is not cooling down.</summary>
    public DateTimeOffset? CooldownUntil { get; init; }
}
