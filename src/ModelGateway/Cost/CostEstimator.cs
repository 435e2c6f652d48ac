using Microsoft.Extensions.AI;
using ModelGateway.Routing;

namespace ModelGateway.Cost;

/// <summary>
/// Estimates a request's cost before it is sent, for budget reservations: the estimated prompt at the input price plus
/// the output limit (<see cref="ChatOptions.MaxOutputTokens"/>, else the alias default, else
/// <see cref="CostDefaults.EstimatedOutputTokens"/>) at the output price, on the group's most expensive priced deployment.
/// Zero when no deployment has a price.
/// </summary>
internal static class CostEstimator
{
    public static decimal Estimate(ModelGroup group, IEnumerable<ChatMessage> messages, ChatOptions? options, ModelPriceResolver prices)
    {
        long input = TokenEstimator.Estimate(messages, options);
        long output = options?.MaxOutputTokens ?? group.MaxOutputTokens ?? CostDefaults.EstimatedOutputTokens;
        decimal highest = 0;
        foreach (Deployment deployment in group.Deployments)
        {
            if (prices.Resolve(deployment.Provider, deployment.ProviderModel, deployment.Pricing) is not { } price)
            {
                continue;
            }

            decimal cost = ((input * (price.InputPerMillion ?? 0)) + (output * (price.OutputPerMillion ?? 0))) / 1_000_000m;
            if (cost > highest)
            {
                highest = cost;
            }
        }

        return highest;
    }
}
