using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace ModelGateway.Routing;

/// <summary>The aliases and provider clients, built once at start-up; lookups are lock-free reads.</summary>
internal sealed class RoutingTable
{
    // Direct "provider/model" addresses are created on demand; cap the memo so caller-chosen model ids cannot grow it forever.
    private const int MaxDirectGroups = 1024;

    private readonly Dictionary<string, ModelGroup> _groups;
    private readonly Dictionary<string, IChatClient> _providers;
    private readonly ConcurrentDictionary<string, ModelGroup> _direct = new(StringComparer.Ordinal);
    private readonly DeploymentPriceResolver _prices;
    private readonly CooldownOptions _cooldown;

    public RoutingTable(ModelGatewayOptions options, IReadOnlyDictionary<string, IChatClient> providers, Cost.ModelPriceResolver? prices = null)
    {
        _providers = new Dictionary<string, IChatClient>(providers, StringComparer.OrdinalIgnoreCase);
        _groups = new Dictionary<string, ModelGroup>(StringComparer.OrdinalIgnoreCase);
        _prices = new DeploymentPriceResolver(options, prices);
        _cooldown = options.Resilience.Cooldown;
        var names = new List<string>(options.Models.Count);
        foreach ((string alias, ModelGroupOptions group) in options.Models)
        {
            var deployments = new Deployment[group.Deployments.Count];
            for (int i = 0; i < deployments.Length; i++)
            {
                DeploymentOptions d = group.Deployments[i];
                deployments[i] = new Deployment(d.Provider!, d.Model!, _providers[d.Provider!], d, _cooldown, _prices.Resolve(d.Provider!, d.Model!, d));
            }

            _groups[alias] = new ModelGroup(alias, group.Routing, deployments, group);
            names.Add(alias);
        }

        Aliases = names;
        DefaultModel = options.DefaultModel;
        AllowDirectProviderModels = options.AllowDirectProviderModels;
    }

    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Gets the application's <see cref="IModelSelector"/>s, asked in order after the configured routes.</summary>
    public IModelSelector[] Selectors { get; init; } = [];

    /// <summary>Whether a request for <paramref name="group"/> needs <see cref="ConditionalRoutes.Apply"/>.</summary>
    public bool NeedsRouting(ModelGroup group) => group.Routes.Length > 0 || Selectors.Length > 0;

    public string? DefaultModel { get; }

    public bool AllowDirectProviderModels { get; }

    public IEnumerable<ModelGroup> Groups => _groups.Values;

    public IEnumerable<IChatClient> ProviderClients => _providers.Values;

    public bool TryGetGroup(string alias, out ModelGroup group) => _groups.TryGetValue(alias, out group!);

    /// <summary>Resolves what a caller asked for: an alias, or (when allowed) a <c>provider/model</c> address.</summary>
    /// <exception cref="UnknownModelException">The model is neither.</exception>
    public ModelGroup Resolve(string? model)
    {
        model ??= DefaultModel;
        if (model is not null)
        {
            if (_groups.TryGetValue(model, out ModelGroup? group))
            {
                return group;
            }

            if (AllowDirectProviderModels && TryResolveDirect(model, out group))
            {
                return group;
            }
        }

        throw new UnknownModelException(model, Aliases);
    }

    private bool TryResolveDirect(string model, out ModelGroup group)
    {
        if (_direct.TryGetValue(model, out group!))
        {
            return true;
        }

        int slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == model.Length - 1 || !_providers.TryGetValue(model[..slash], out IChatClient? client))
        {
            return false;
        }

        string provider = _providers.Keys.First(k => string.Equals(k, model[..slash], StringComparison.OrdinalIgnoreCase));
        group = new ModelGroup(model, RoutingStrategy.Priority, [new Deployment(provider, model[(slash + 1)..], client, null, _cooldown, _prices.Resolve(provider, model[(slash + 1)..], null))], null);
        if (_direct.Count < MaxDirectGroups)
        {
            group = _direct.GetOrAdd(model, group);
        }

        return true;
    }
}
