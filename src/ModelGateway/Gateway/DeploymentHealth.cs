namespace ModelGateway;

/// <summary>A snapshot of one deployment's health.</summary>
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
}
