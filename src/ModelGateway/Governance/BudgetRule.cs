using System.Collections.Concurrent;

namespace ModelGateway.Governance;

/// <summary>One configured budget at run time, with a counter per key it has seen in the current period.</summary>
internal sealed class BudgetRule
{
    public BudgetRule(BudgetOptions options)
    {
        Scope = options.Scope;
        Key = options.Scope == LimitScope.Global ? null : options.Key;
        LimitUsd = options.LimitUsd;
        Period = options.Period;
        Dimension = LimitKeys.Dimension(options.Scope);
    }

    public LimitScope Scope { get; }

    public string? Key { get; }

    public decimal LimitUsd { get; }

    public BudgetPeriod Period { get; }

    public SpendDimension Dimension { get; }

    public ConcurrentDictionary<string, BudgetCounter> Counters { get; } = new(StringComparer.Ordinal);
}
