using ModelGateway.Cost;

namespace ModelGateway.Routing;

/// <summary>
/// Resolves each deployment's price once, at start-up, for <see cref="Deployment.Pricing"/> (which
/// <see cref="RoutingStrategy.LowestCost"/> reads and the cost observer hands back to the same resolver). It defers to the
/// gateway's <see cref="ModelPriceResolver"/> — the deployment's own price, then <see cref="ModelGatewayOptions.Pricing"/>
/// under <c>provider/model</c> and <c>model</c>, then the built-in table — so routing and cost accounting always agree.
/// Without one (a routing table built on its own, in tests), the configured steps apply without the built-in table.
/// Immutable after construction; thread-safe.
/// </summary>
internal sealed class DeploymentPriceResolver
{
    private readonly ModelPriceResolver? _prices;
    private readonly Dictionary<string, ModelPrice> _configured;

    public DeploymentPriceResolver(ModelGatewayOptions options, ModelPriceResolver? prices)
    {
        _prices = prices;
        _configured = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        if (prices is null)
        {
            foreach ((string model, ModelPrice price) in options.Pricing)
            {
                if (price is not null)
                {
                    _configured[model] = price;
                }
            }
        }
    }

    public ModelPrice? Resolve(string provider, string providerModel, DeploymentOptions? deployment)
    {
        if (_prices is not null)
        {
            return _prices.Resolve(provider, providerModel, deployment?.Pricing);
        }

        return deployment?.Pricing
            ?? (_configured.TryGetValue(provider + "/" + providerModel, out ModelPrice? byProvider) ? byProvider
            : _configured.TryGetValue(providerModel, out ModelPrice? byModel) ? byModel
            : null);
    }
}
