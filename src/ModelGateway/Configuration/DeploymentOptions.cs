namespace ModelGateway;

/// <summary>One deployment of an alias: a model on a configured provider, with its weight, limits and price.</summary>
public sealed class DeploymentOptions
{
    /// <summary>Gets or sets the configured provider name.</summary>
    public string? Provider { get; set; }

    /// <summary>Gets or sets the provider's model id (for Azure OpenAI, the deployment name).</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the relative weight for <see cref="RoutingStrategy.Weighted"/> routing; 0 takes no traffic unless the others fail.</summary>
    /// <value>The default value is 1.</value>
    public double Weight { get; set; } = GatewayDefaults.Weight;

    /// <summary>Gets or sets the requests per minute this deployment may take, or <see langword="null"/> for no limit.</summary>
    public int? Rpm { get; set; }

    /// <summary>Gets or sets the tokens per minute this deployment may take, or <see langword="null"/> for no limit.</summary>
    public int? Tpm { get; set; }

    /// <summary>Gets or sets the largest prompt, in tokens, this deployment accepts, or <see langword="null"/> when unknown.</summary>
    public int? MaxInputTokens { get; set; }

    /// <summary>Gets or sets this deployment's price, overriding <see cref="ModelGatewayOptions.Pricing"/> and the built-in table.</summary>
    public ModelPrice? Pricing { get; set; }
}
