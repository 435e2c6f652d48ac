using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;

namespace ModelGateway.Governance;

/// <summary>The rate-limit stage (<see cref="GatewayStageOrder.RateLimits"/>); leaves the pipeline untouched when no limit is configured.</summary>
internal sealed class RateLimitStage : GatewayStage
{
    public override int Order => GatewayStageOrder.RateLimits;

    public override IChatClient Wrap(IChatClient inner, IServiceProvider services)
    {
        GatewayRateLimits limits = services.GetRequiredService<GatewayRateLimits>();
        return limits.Enabled ? new RateLimitChatClient(inner, limits) : inner;
    }
}
