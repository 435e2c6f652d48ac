namespace ModelGateway;

/// <summary>One attempt the gateway made to answer a request: which deployment, how it ended, how long it took.</summary>
/// <remarks>Instances are immutable and safe to share across threads.</remarks>
public sealed class GatewayAttempt
{
    /// <summary>Initializes a new instance of the <see cref="GatewayAttempt"/> class.</summary>
    /// <param name="model">The alias whose deployment was called.</param>
    /// <param name="provider">The configured provider name.</param>
    /// <param name="providerModel">The provider's model id.</param>
    /// <param name="errorKind">How the attempt failed, or <see langword="null"/> when it succeeded.</param>
    /// <param name="statusCode">The HTTP status the provider answered with, when there was one.</param>
    /// <param name="duration">How long the attempt took.</param>
    /// <param name="delay">How long the gateway waited before the attempt (backoff or Retry-After).</param>
    public GatewayAttempt(string model, string provider, string providerModel, ProviderErrorKind? errorKind, int? statusCode, TimeSpan duration, TimeSpan delay)
    {
        Model = model;
        Provider = provider;
        ProviderModel = providerModel;
        ErrorKind = errorKind;
        StatusCode = statusCode;
        Duration = duration;
        Delay = delay;
    }

    /// <summary>Gets the alias whose deployment was called (differs from the requested alias after a fallback).</summary>
    public string Model { get; }

    /// <summary>Gets the configured provider name.</summary>
    public string Provider { get; }

    /// <summary>Gets the provider's model id.</summary>
    public string ProviderModel { get; }

    /// <summary>Gets how the attempt failed, or <see langword="null"/> for the successful attempt.</summary>
    public ProviderErrorKind? ErrorKind { get; }

    /// <summary>Gets the HTTP status the provider answered with, when there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets how long the attempt took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets how long the gateway waited before making the attempt.</summary>
    public TimeSpan Delay { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Model} → {Provider}/{ProviderModel}: {(ErrorKind is { } k ? k.ToString() : "OK")}{(StatusCode is { } s ? $" ({s})" : string.Empty)} in {Duration.TotalMilliseconds:0.#} ms";
}
