namespace ModelGateway;

/// <summary>
/// The whole gateway configuration: the <c>ModelGateway</c> section of <c>appsettings.json</c>.
/// Keys are case-insensitive; see <c>docs/configuration.md</c> for every key with an example.
/// </summary>
/// <remarks>Options are read once at start-up; changing an instance afterwards has no effect.</remarks>
public sealed class ModelGatewayOptions
{
    /// <summary>Gets or sets the alias used when a request names no model.</summary>
    /// <value>The default value is <see langword="null"/>: a request must name a model.</value>
    public string? DefaultModel { get; set; }

    /// <summary>Gets or sets whether <c>"provider/model"</c> addresses one configured provider directly.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowDirectProviderModels { get; set; } = true;

    /// <summary>Gets the providers by name: how to reach one account of one vendor.</summary>
    public IDictionary<string, ProviderOptions> Providers { get; } = new Dictionary<string, ProviderOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the model aliases by name: each a group of interchangeable deployments.</summary>
    public IDictionary<string, ModelGroupOptions> Models { get; } = new Dictionary<string, ModelGroupOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the retry, timeout, cooldown and last-resort settings.</summary>
    public ResilienceOptions Resilience { get; } = new();

    /// <summary>Gets the response cache settings.</summary>
    public CacheOptions Cache { get; } = new();

    /// <summary>Gets prices by provider model id; they override the built-in price table.</summary>
    public IDictionary<string, ModelPrice> Pricing { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the spend limits.</summary>
    public IList<BudgetOptions> Budgets { get; } = [];

    /// <summary>Gets the request and token rate limits.</summary>
    public IList<RateLimitOptions> RateLimits { get; } = [];

    /// <summary>Gets the logging settings.</summary>
    public GatewayLoggingOptions Logging { get; } = new();
}
