using Microsoft.Extensions.AI;

namespace ModelGateway.Routing;

/// <summary>One deployment of a group at run time: the provider client to call, the model to ask for, and its live counters.</summary>
internal sealed class Deployment
{
    private long _inFlight;
    private long _requests;
    private long _failures;

    public Deployment(string provider, string providerModel, IChatClient client, DeploymentOptions? options)
    {
        Provider = provider;
        ProviderModel = providerModel;
        Client = client;
        Weight = options?.Weight ?? GatewayDefaults.Weight;
        MaxInputTokens = options?.MaxInputTokens;
        Rpm = options?.Rpm;
        Tpm = options?.Tpm;
        Pricing = options?.Pricing;
    }

    public string Provider { get; }

    public string ProviderModel { get; }

    public IChatClient Client { get; }

    public double Weight { get; }

    public int? MaxInputTokens { get; }

    public int? Rpm { get; }

    public int? Tpm { get; }

    public ModelPrice? Pricing { get; }

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    public ProviderErrorKind? LastFailureKind { get; private set; }

    public DateTimeOffset? LastFailureAt { get; private set; }

    public void OnStart()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _requests);
    }

    public void OnSuccess() => Interlocked.Decrement(ref _inFlight);

    public void OnFailure(ProviderErrorKind kind, DateTimeOffset at)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _failures);
        LastFailureKind = kind;
        LastFailureAt = at;
    }

    /// <summary>Ends an attempt that was neither a success nor a provider failure (the caller cancelled).</summary>
    public void OnAbandoned() => Interlocked.Decrement(ref _inFlight);
}
