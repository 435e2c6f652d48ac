using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelGateway.Providers;
using ModelGateway.Routing;

namespace ModelGateway.Gateway;

/// <summary>
/// The gateway built once from configuration: the provider clients, the routing table and the composed pipeline.
/// Owns the provider clients and disposes them with itself.
/// </summary>
internal sealed class GatewayRuntime : IModelGateway, IDisposable
{
    private readonly ConcurrentDictionary<string, GatewayChatClient> _pinned = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IChatClient> _ownedProviders = [];
    private int _disposed;

    public GatewayRuntime(
        IOptions<ModelGatewayOptions> options,
        ProviderTypeRegistry registry,
        GatewayMiddlewareRegistry middleware,
        IServiceProvider services,
        TimeProvider timeProvider,
        IEnumerable<AttemptObserver> observers,
        IEnumerable<GatewayStage> stages,
        ISpendStore spendStore)
    {
        SpendStore = spendStore;
        ModelGatewayOptions value = options.Value; // validation runs here when no host validated at start
        TimeProvider = timeProvider;
        var providers = new Dictionary<string, IChatClient>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach ((string name, ProviderOptions provider) in value.Providers)
            {
                IChatClient client;
                try
                {
                    client = registry.Create(services, provider);
                }
                catch (Exception exception) when (exception is not OptionsValidationException)
                {
                    throw new InvalidOperationException(
                        $"{GatewayDefaults.SectionName}:Providers:{name} (Type '{provider.Type}') could not be created: {exception.Message}", exception);
                }

                providers[name] = client;
                _ownedProviders.Add(client);
            }
        }
        catch
        {
            DisposeProviders();
            throw;
        }

        Table = new RoutingTable(value, providers, services.GetService<Cost.ModelPriceResolver>()) { Selectors = [.. services.GetServices<IModelSelector>()] };
        Router = new GatewayRouter(Table, value.Resilience, timeProvider, Random.Shared, [.. observers]);
        Pipeline = GatewayPipeline.Build(Router, middleware, stages, services);
        Default = new GatewayChatClient(this, pinnedModel: null);
    }

    public TimeProvider TimeProvider { get; }

    public ISpendStore SpendStore { get; }

    public RoutingTable Table { get; }

    public GatewayRouter Router { get; }

    /// <summary>Gets the composed pipeline between the entry and the router.</summary>
    public IChatClient Pipeline { get; }

    /// <summary>Gets the unpinned entry: the gateway's <see cref="IChatClient"/>.</summary>
    public GatewayChatClient Default { get; }

    public IReadOnlyList<string> Models => Table.Aliases;

    public IChatClient GetChatClient(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_pinned.TryGetValue(model, out GatewayChatClient? client))
        {
            return client;
        }

        ModelGroup group = Table.Resolve(model); // throws UnknownModelException
        return _pinned.GetOrAdd(group.Name, static (name, runtime) => new GatewayChatClient(runtime, name), this);
    }

    public IReadOnlyList<DeploymentHealth> GetDeploymentHealth()
    {
        var health = new List<DeploymentHealth>();
        long now = TimeProvider.GetUtcNow().UtcTicks;
        foreach (ModelGroup group in Table.Groups)
        {
            foreach (Deployment deployment in group.Deployments)
            {
                var cooldown = deployment.Cooldown.Snapshot(now);
                health.Add(new DeploymentHealth
                {
                    Model = group.Name,
                    Provider = deployment.Provider,
                    ProviderModel = deployment.ProviderModel,
                    InFlight = deployment.InFlight,
                    Requests = deployment.Requests,
                    Failures = deployment.Failures,
                    LastFailureKind = deployment.LastFailureKind,
                    LastFailureAt = deployment.LastFailureAt,
                    State = cooldown.State,
                    RecentFailures = cooldown.RecentFailures,
                    CooldownUntil = cooldown.State == DeploymentState.CoolingDown ? new DateTimeOffset(cooldown.OpenUntil, TimeSpan.Zero) : null,
                });
            }
        }

        return health;
    }

    public SpendSummary GetSpend(SpendDimension dimension, string? key, DateTimeOffset from, DateTimeOffset to)
    {
        if (dimension != SpendDimension.Global)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
        }

        if (to < from)
        {
            throw new ArgumentException($"The period ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        return SpendStore.GetSpend(dimension, key, from, to);
    }

    public IReadOnlyDictionary<string, SpendSummary> GetSpendBreakdown(SpendDimension dimension, DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            throw new ArgumentException($"The period ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        return SpendStore.GetBreakdown(dimension, from, to);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Pipeline.Dispose();
            DisposeProviders();
        }
    }

    private void DisposeProviders()
    {
        foreach (IChatClient client in _ownedProviders)
        {
            client.Dispose();
        }
    }
}
