using Microsoft.Extensions.AI;
using ModelGateway.Resilience;

namespace ModelGateway.Routing;

/// <summary>
/// One deployment of a group at run time: the provider client to call, the model to ask for, its limits and price, and
/// its live state (in-flight and total counters, cooldown, this minute's usage, latency averages). The configuration
/// part is immutable; the live state is updated lock-free (see <see cref="CooldownTracker"/> for the one small lock).
/// </summary>
internal sealed class Deployment
{
    private long _inFlight;
    private long _requests;
    private long _failures;
    private long _lastFailureTicks;
    private int _lastFailureKind = -1;

    public Deployment(string provider, string providerModel, IChatClient client, DeploymentOptions? options, CooldownOptions? cooldown = null, ModelPrice? pricing = null)
    {
        Provider = provider;
        ProviderModel = providerModel;
        Client = client;
        Weight = options?.Weight ?? GatewayDefaults.Weight;
        MaxInputTokens = options?.MaxInputTokens;
        Rpm = options?.Rpm;
        Tpm = options?.Tpm;
        Pricing = pricing ?? options?.Pricing;
        InputPricePerMillion = Pricing?.InputPerMillion;
        OutputPricePerMillion = Pricing?.OutputPerMillion;
        IsPriced = InputPricePerMillion is not null || OutputPricePerMillion is not null;
        InputPriceApproximation = (double)(InputPricePerMillion ?? 0m);
        OutputPriceApproximation = (double)(OutputPricePerMillion ?? 0m);
        RpmLimit = Rpm is int rpm and > 0 ? (ulong)rpm : 0;
        TpmLimit = Tpm is int tpm and > 0 ? (ulong)tpm : 0;
        Cooldown = new CooldownTracker(cooldown);
    }

    public string Provider { get; }

    public string ProviderModel { get; }

    public IChatClient Client { get; }

    public double Weight { get; }

    public int? MaxInputTokens { get; }

    public int? Rpm { get; }

    public int? Tpm { get; }

    /// <summary>Gets the price resolved at start-up (the deployment's own, else the configured table's), or <see langword="null"/>.</summary>
    public ModelPrice? Pricing { get; }

    /// <summary>Gets <see cref="Pricing"/>'s input price as it was at start-up (what <c>LowestCost</c> compares).</summary>
    public decimal? InputPricePerMillion { get; }

    /// <summary>Gets <see cref="Pricing"/>'s output price as it was at start-up (what <c>LowestCost</c> compares).</summary>
    public decimal? OutputPricePerMillion { get; }

    /// <summary>Gets whether an input or output price is known (fixed at start-up, like the prices).</summary>
    public bool IsPriced { get; }

    /// <summary>Gets the input price as a <see cref="double"/> (0 when unknown), to order costs quickly; exact ties are settled in <see cref="decimal"/>.</summary>
    public double InputPriceApproximation { get; }

    /// <summary>Gets the output price as a <see cref="double"/> (0 when unknown).</summary>
    public double OutputPriceApproximation { get; }

    /// <summary>Gets <see cref="Rpm"/> as an unsigned number, 0 when there is none: what <c>UsageBased</c> divides by, without a nullable check per decision.</summary>
    public ulong RpmLimit { get; }

    /// <summary>Gets <see cref="Tpm"/> as an unsigned number, 0 when there is none.</summary>
    public ulong TpmLimit { get; }

    public CooldownTracker Cooldown { get; }

    public MinuteUsage Usage { get; } = new();

    /// <summary>Gets the moving average of whole non-streamed answers.</summary>
    public LatencyAverage ResponseLatency { get; } = new();

    /// <summary>Gets the moving average of streams' time to first chunk.</summary>
    public LatencyAverage FirstChunkLatency { get; } = new();

    /// <summary>Gets the attempts in flight. A plain atomic read: <c>LeastBusy</c> reads it for every deployment on every
    /// decision, and a locked read-modify-write there would bounce the counter's cache line between cores.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    public ProviderErrorKind? LastFailureKind => Volatile.Read(ref _lastFailureKind) is int kind and >= 0 ? (ProviderErrorKind)kind : null;

    public DateTimeOffset? LastFailureAt => Interlocked.Read(ref _lastFailureTicks) is long ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

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
        Volatile.Write(ref _lastFailureKind, (int)kind);
        Interlocked.Exchange(ref _lastFailureTicks, at.UtcTicks);
    }

    /// <summary>Ends an attempt that was neither a success nor a provider failure (the caller cancelled).</summary>
    public void OnAbandoned() => Interlocked.Decrement(ref _inFlight);
}
