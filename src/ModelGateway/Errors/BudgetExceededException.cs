namespace ModelGateway;

/// <summary>A request was rejected before any provider call because a configured budget is spent.</summary>
public sealed class BudgetExceededException : ModelGatewayException
{
    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class.</summary>
    /// <param name="scope">The scope of the budget that is spent.</param>
    /// <param name="key">The key within the scope (a team, user, feature, tag or alias), or <see langword="null"/> for <see cref="LimitScope.Global"/>.</param>
    /// <param name="limitUsd">The budget's limit in US dollars.</param>
    /// <param name="spentUsd">What has been spent (and reserved) in the current period.</param>
    /// <param name="resetsAt">When the current period ends, or <see langword="null"/> for a budget that never resets.</param>
    public BudgetExceededException(LimitScope scope, string? key, decimal limitUsd, decimal spentUsd, DateTimeOffset? resetsAt)
        : base($"The {scope} budget{(key is null ? string.Empty : $" for '{key}'")} of ${limitUsd} is spent (${spentUsd}){(resetsAt is { } r ? $"; it resets at {r:O}" : string.Empty)}.")
    {
        Scope = scope;
        Key = key;
        LimitUsd = limitUsd;
        SpentUsd = spentUsd;
        ResetsAt = resetsAt;
    }

    /// <summary>Gets the scope of the budget that is spent.</summary>
    public LimitScope Scope { get; }

    /// <summary>Gets the key within the scope, or <see langword="null"/> for the global budget.</summary>
    public string? Key { get; }

    /// <summary>Gets the budget's limit in US dollars.</summary>
    public decimal LimitUsd { get; }

    /// <summary>Gets what has been spent and reserved in the current period, in US dollars.</summary>
    public decimal SpentUsd { get; }

    /// <summary>Gets when the current period ends, or <see langword="null"/> for a <see cref="BudgetPeriod.Total"/> budget.</summary>
    public DateTimeOffset? ResetsAt { get; }
}
