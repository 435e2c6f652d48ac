using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ModelGateway.Cost;

/// <summary>
/// Finds the price of a model on a configured provider. The first that has one wins, whole (prices are not merged
/// field by field):
/// <list type="number">
/// <item>the deployment's own <see cref="DeploymentOptions.Pricing"/>;</item>
/// <item><see cref="ModelGatewayOptions.Pricing"/> under <c>"provider/model"</c> (the configured provider name), then under <c>"model"</c>;</item>
/// <item>the built-in table, under the provider's <see cref="ProviderOptions.Type"/> (so an <c>azure-openai</c> deployment,
/// whose model is a deployment name with region-dependent prices, is never priced from OpenAI's list).</item>
/// </list>
/// Lookups are remembered. Thread-safe.
/// </summary>
internal sealed class ModelPriceResolver
{
    private readonly IDictionary<string, ModelPrice> _configured;
    private readonly Dictionary<string, string> _providerTypes;
    private readonly BuiltInPriceTable _table;
    private readonly ConcurrentDictionary<(string Provider, string Model), ModelPrice?> _cache = new(ProviderModelComparer.Instance);

    public ModelPriceResolver(IOptions<ModelGatewayOptions> options, BuiltInPriceTable table)
    {
        ModelGatewayOptions value = options.Value;
        _configured = value.Pricing;
        _table = table;
        _providerTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, ProviderOptions provider) in value.Providers)
        {
            if (provider?.Type is { } type)
            {
                _providerTypes[name] = type;
            }
        }
    }

    public BuiltInPriceTable Table => _table;

    /// <summary>Returns the price of <paramref name="model"/> on the provider named <paramref name="provider"/>, or <see langword="null"/> when none is known.</summary>
    /// <param name="provider">The configured provider name.</param>
    /// <param name="model">The provider's model id (for Azure OpenAI, the deployment name).</param>
    /// <param name="deploymentPrice">The deployment's own configured price, if any.</param>
    public ModelPrice? Resolve(string provider, string model, ModelPrice? deploymentPrice = null)
    {
        if (deploymentPrice is not null)
        {
            return deploymentPrice;
        }

        if (_cache.TryGetValue((provider, model), out ModelPrice? cached))
        {
            return cached;
        }

        ModelPrice? price = Lookup(provider, model);
        if (_cache.Count < CostDefaults.MaxCachedPrices)
        {
            _cache.TryAdd((provider, model), price);
        }

        return price;
    }

    /// <summary>Returns the built-in table's entry (with context window and output limit) for a model on a configured provider.</summary>
    public BuiltInModelInfo? BuiltIn(string provider, string model) =>
        _providerTypes.TryGetValue(provider, out string? type) && _table.TryGet(type, model, out BuiltInModelInfo info) ? info : null;

    private ModelPrice? Lookup(string provider, string model)
    {
        if (_configured.Count > 0)
        {
            if (_configured.TryGetValue(provider + "/" + model, out ModelPrice? byProvider) && byProvider is not null)
            {
                return byProvider;
            }

            if (_configured.TryGetValue(model, out ModelPrice? byModel) && byModel is not null)
            {
                return byModel;
            }
        }

        return BuiltIn(provider, model)?.Price;
    }

    private sealed class ProviderModelComparer : IEqualityComparer<(string Provider, string Model)>
    {
        public static readonly ProviderModelComparer Instance = new();

        public bool Equals((string Provider, string Model) x, (string Provider, string Model) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Provider, y.Provider) && StringComparer.Ordinal.Equals(x.Model, y.Model);

        public int GetHashCode((string Provider, string Model) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Provider), StringComparer.Ordinal.GetHashCode(obj.Model));
    }
}
