namespace ModelGateway.Routing;

/// <summary>
/// The one place a deployment's price is looked up at start-up: its own <see cref="DeploymentOptions.Pricing"/>, else
/// <see cref="ModelGatewayOptions.Pricing"/> by provider model id. (A built-in price table, when there is one, belongs
/// here as the last step.) Immutable after construction; thread-safe.
/// </summary>
internal sealed class DeploymentPriceResolver
{
    private readonly Dictionary<string, ModelPrice> _configured;

    public DeploymentPriceResolver(ModelGatewayOptions options)
    {
        _configured = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach ((string model, ModelPrice price) in options.Pricing)
        {
            if (price is not null)
            {
                _configured[model] = price;
            }
        }
    }

    public ModelPrice? Resolve(DeploymentOptions? deployment, string providerModel) =>
        deployment?.Pricing ?? (_configured.TryGetValue(providerModel, out ModelPrice? price) ? price : null);
}
