using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Cost;
using ModelGateway.Gateway;

namespace ModelGateway.Governance;

/// <summary>The budgets stage (<see cref="GatewayStageOrder.Budgets"/>); leaves the pipeline untouched when no budget is configured.</summary>
internal sealed class BudgetStage : GatewayStage
{
    public override int Order => GatewayStageOrder.Budgets;

    public override IChatClient Wrap(IChatClient inner, IServiceProvider services)
    {
        GatewayBudgets budgets = services.GetRequiredService<GatewayBudgets>();
        return budgets.Enabled ? new BudgetChatClient(inner, budgets, services.GetRequiredService<ModelPriceResolver>()) : inner;
    }
}
