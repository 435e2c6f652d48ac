namespace ModelGateway;

/// <summary>A spend limit for a scope and period.</summary>
public sealed class BudgetOptions
{
    /// <summary>Gets or sets what the budget is counted per.</summary>
    public LimitScope Scope { get; set; } = LimitScope.Global;

    /// <summary>Gets or sets the key within the scope (a team, user, feature, tag or alias), or <c>*</c> for each one separately.
    /// Not used for <see cref="LimitScope.Global"/>.</summary>
    public string? Key { get; set; }

    /// <summary>Gets or sets the limit in US dollars.</summary>
    public decimal LimitUsd { get; set; }

    /// <summary>Gets or sets the period after which spend starts again from zero.</summary>
    /// <value>The default value is <see cref="BudgetPeriod.Monthly"/>.</value>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Monthly;
}
