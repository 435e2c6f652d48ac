using Microsoft.Extensions.AI;

namespace ModelGateway.Gateway;

/// <summary>
/// One of the gateway's own outer middleware (telemetry, rate limits, budgets, cache). Each concern registers its stage
/// in dependency injection as <c>GatewayStage</c>; the pipeline orders them by <see cref="Order"/>, smallest outermost,
/// around the application's middleware and the router. See <see cref="GatewayStageOrder"/>.
/// </summary>
internal abstract class GatewayStage
{
    /// <summary>Gets where the stage sits: smaller is further out.</summary>
    public abstract int Order { get; }

    /// <summary>Wraps <paramref name="inner"/>; returns <paramref name="inner"/> itself when the stage is switched off by configuration.</summary>
    public abstract IChatClient Wrap(IChatClient inner, IServiceProvider services);
}
