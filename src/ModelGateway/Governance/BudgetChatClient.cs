using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ModelGateway.Cost;
using ModelGateway.Gateway;

namespace ModelGateway.Governance;

/// <summary>
/// Checks the budgets before a request (rejecting with <see cref="BudgetExceededException"/>, reserving its estimated
/// cost otherwise) and charges what its attempts cost once it ends, however it ends. A cache hit costs nothing.
/// </summary>
internal sealed class BudgetChatClient : DelegatingChatClient
{
    private readonly GatewayBudgets _budgets;
    private readonly ModelPriceResolver _prices;

    public BudgetChatClient(IChatClient inner, GatewayBudgets budgets, ModelPriceResolver prices)
        : base(inner)
    {
        _budgets = budgets;
        _prices = prices;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (GatewayRequestContext.Get(options) is not { } context)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        BudgetReservation reservation = _budgets.Reserve(context, CostEstimator.Estimate(context.Group, messages, options, _prices));
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _budgets.Settle(reservation, context.Spend.PricedCostUsd);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (GatewayRequestContext.Get(options) is not { } context)
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        BudgetReservation reservation = _budgets.Reserve(context, CostEstimator.Estimate(context.Group, messages, options, _prices));
        try
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            _budgets.Settle(reservation, context.Spend.PricedCostUsd);
        }
    }
}
