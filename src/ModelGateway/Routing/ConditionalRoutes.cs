using Microsoft.Extensions.AI;
using ModelGateway.Gateway;

namespace ModelGateway.Routing;

/// <summary>
/// Evaluates an alias's <c>Routes</c> (the first whose condition matches sends the request to its alias, whose routes apply
/// in turn, at most <see cref="GatewayDefaults.MaxFallbackDepth"/> deep), then the registered <see cref="IModelSelector"/>s.
/// </summary>
internal static class ConditionalRoutes
{
    public static ModelGroup Apply(ModelGroup group, GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions options, RoutingTable table)
    {
        group = ApplyRoutes(group, context, messages, options, table);
        IModelSelector[] selectors = table.Selectors;
        if (selectors.Length == 0)
        {
            return group;
        }

        var selection = new ModelSelectionContext(group.Name, messages, options, context.User, context.Team, context.Feature, context.Tags);
        foreach (IModelSelector selector in selectors)
        {
            if (selector.SelectModel(selection) is { } chosen)
            {
                return table.Resolve(chosen);
            }
        }

        return group;
    }

    private static ModelGroup ApplyRoutes(ModelGroup group, GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions options, RoutingTable table)
    {
        int? estimatedTokens = null;
        for (int depth = 0; depth < GatewayDefaults.MaxFallbackDepth && group.Routes.Length > 0; depth++)
        {
            ModelGroup? next = null;
            foreach (RouteOptions route in group.Routes)
            {
                if (Matches(route.When, context, messages, options, ref estimatedTokens) && table.TryGetGroup(route.Model!, out ModelGroup target))
                {
                    next = target;
                    break;
                }
            }

            if (next is null)
            {
                break;
            }

            group = next;
        }

        return group;
    }

    private static bool Matches(RouteConditionOptions when, GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions options, ref int? estimatedTokens)
    {
        if (when.User is { } user && !string.Equals(user, context.User, StringComparison.Ordinal))
        {
            return false;
        }

        if (when.Team is { } team && !string.Equals(team, context.Team, StringComparison.Ordinal))
        {
            return false;
        }

        if (when.Feature is { } feature && !string.Equals(feature, context.Feature, StringComparison.Ordinal))
        {
            return false;
        }

        if (when.Tags.Count > 0 && !AnyTag(when.Tags, context.Tags))
        {
            return false;
        }

        if (when.MinInputTokens is { } min)
        {
            estimatedTokens ??= TokenEstimator.Estimate(messages, options);
            if (estimatedTokens < min)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyTag(IList<string> wanted, string[]? tags)
    {
        if (tags is null)
        {
            return false;
        }

        foreach (string tag in tags)
        {
            if (wanted.Contains(tag))
            {
                return true;
            }
        }

        return false;
    }
}
