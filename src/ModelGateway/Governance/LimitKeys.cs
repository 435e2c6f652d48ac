using ModelGateway.Gateway;

namespace ModelGateway.Governance;

/// <summary>
/// Which keys of a <see cref="LimitScope"/> a request is counted under, for budgets and rate limits alike: its user, team
/// or feature (<see cref="SpendKeys.Anonymous"/> when it names none), each of its tags, or its alias.
/// </summary>
internal static class LimitKeys
{
    /// <summary>The single key of a <see cref="LimitScope.Global"/> rule.</summary>
    public const string GlobalKey = "";

    /// <summary>The rule key meaning "each key separately".</summary>
    public const string Each = "*";

    /// <summary>Adds to <paramref name="keys"/> every key of <paramref name="scope"/> the request counts under that the rule's <paramref name="ruleKey"/> selects.</summary>
    public static void Collect(LimitScope scope, string? ruleKey, GatewayRequestContext context, List<string> keys)
    {
        switch (scope)
        {
            case LimitScope.Global:
                keys.Add(GlobalKey);
                break;
            case LimitScope.User:
                AddIfSelected(ruleKey, context.User ?? SpendKeys.Anonymous, StringComparison.Ordinal, keys);
                break;
            case LimitScope.Team:
                AddIfSelected(ruleKey, context.Team ?? SpendKeys.Anonymous, StringComparison.Ordinal, keys);
                break;
            case LimitScope.Feature:
                AddIfSelected(ruleKey, context.Feature ?? SpendKeys.Anonymous, StringComparison.Ordinal, keys);
                break;
            case LimitScope.Tag:
                if (context.Tags is { } tags)
                {
                    foreach (string tag in tags)
                    {
                        if (!string.IsNullOrEmpty(tag))
                        {
                            AddIfSelected(ruleKey, tag, StringComparison.Ordinal, keys);
                        }
                    }
                }

                break;
            case LimitScope.Model:
                // Aliases are case-insensitive in configuration; the group's name is the configured spelling.
                AddIfSelected(ruleKey, context.Group.Name, StringComparison.OrdinalIgnoreCase, keys);
                break;
        }
    }

    /// <summary>The key to report in an exception: <see langword="null"/> for the global scope.</summary>
    public static string? Reported(LimitScope scope, string key) => scope == LimitScope.Global ? null : key;

    /// <summary>The spend-store dimension that matches a limit scope.</summary>
    public static SpendDimension Dimension(LimitScope scope) => scope switch
    {
        LimitScope.User => SpendDimension.User,
        LimitScope.Team => SpendDimension.Team,
        LimitScope.Feature => SpendDimension.Feature,
        LimitScope.Tag => SpendDimension.Tag,
        LimitScope.Model => SpendDimension.Model,
        _ => SpendDimension.Global,
    };

    private static void AddIfSelected(string? ruleKey, string key, StringComparison comparison, List<string> keys)
    {
        if (ruleKey == Each || string.Equals(ruleKey, key, comparison))
        {
            keys.Add(key);
        }
    }
}
