namespace ModelGateway;

/// <summary>A model alias: a group of interchangeable deployments, how to choose among them, and where to go when they all fail.</summary>
public sealed class ModelGroupOptions
{
    /// <summary>Gets or sets how a deployment is chosen.</summary>
    /// <value>The default value is <see cref="RoutingStrategy.Weighted"/>.</value>
    public RoutingStrategy Routing { get; set; } = RoutingStrategy.Weighted;

    /// <summary>Gets the deployments of the group; at least one is required.</summary>
    public IList<DeploymentOptions> Deployments { get; } = [];

    /// <summary>Gets the aliases tried in order when every deployment here failed.</summary>
    public IList<string> Fallbacks { get; } = [];

    /// <summary>Gets the aliases tried when the prompt is too long for this group.</summary>
    public IList<string> ContextWindowFallbacks { get; } = [];

    /// <summary>Gets the aliases tried when a content filter blocked the request here.</summary>
    public IList<string> ContentPolicyFallbacks { get; } = [];

    /// <summary>Gets the option values applied when the request does not set them.</summary>
    public ModelDefaultsOptions Defaults { get; } = new();

    /// <summary>Gets the conditional routes; the first whose condition matches sends the request to its alias.</summary>
    public IList<RouteOptions> Routes { get; } = [];
}
