namespace ModelGateway.Routing;

/// <summary>An alias (or a direct <c>provider/model</c> address) at run time: immutable after start-up.</summary>
internal sealed class ModelGroup
{
    private int _turn;

    public ModelGroup(string name, RoutingStrategy strategy, Deployment[] deployments, ModelGroupOptions? options)
    {
        Name = name;
        Strategy = strategy;
        Deployments = deployments;
        Fallbacks = options is null ? [] : [.. options.Fallbacks];
        ContextWindowFallbacks = options is null ? [] : [.. options.ContextWindowFallbacks];
        ContentPolicyFallbacks = options is null ? [] : [.. options.ContentPolicyFallbacks];
        Temperature = options?.Defaults.Temperature;
        TopP = options?.Defaults.TopP;
        MaxOutputTokens = options?.Defaults.MaxOutputTokens;
        SystemPrompt = options?.Defaults.SystemPrompt;
        Routes = options is null ? [] : [.. options.Routes];
        IsDirect = options is null;
        NeedsTokenEstimate = strategy is RoutingStrategy.LowestCost or RoutingStrategy.UsageBased;
        foreach (Deployment deployment in deployments)
        {
            NeedsTokenEstimate |= deployment.MaxInputTokens is not null || deployment.Tpm is not null;
        }
    }

    public string Name { get; }

    public RoutingStrategy Strategy { get; }

    public Deployment[] Deployments { get; }

    public string[] Fallbacks { get; }

    public string[] ContextWindowFallbacks { get; }

    public string[] ContentPolicyFallbacks { get; }

    public float? Temperature { get; }

    public float? TopP { get; }

    public int? MaxOutputTokens { get; }

    public string? SystemPrompt { get; }

    public RouteOptions[] Routes { get; }

    /// <summary>Gets whether this group is a direct <c>provider/model</c> address rather than a configured alias.</summary>
    public bool IsDirect { get; }

    /// <summary>Gets whether routing this group needs the prompt's estimated size (pre-call checks, cost or usage strategies).</summary>
    public bool NeedsTokenEstimate { get; }

    /// <summary>Advances the round-robin turn and returns the previous one.</summary>
    public int NextTurn() => Interlocked.Increment(ref _turn) - 1;

    public bool HasDefaults => Temperature is not null || TopP is not null || MaxOutputTokens is not null || SystemPrompt is not null;
}
