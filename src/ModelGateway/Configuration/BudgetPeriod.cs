namespace ModelGateway;

/// <summary>The period after which a budget's spend starts again from zero (UTC).</summary>
public enum BudgetPeriod
{
    /// <summary>Each calendar day.</summary>
    Daily,

    /// <summary>Each ISO week, starting Monday.</summary>
    Weekly,

    /// <summary>Each calendar month.</summary>
    Monthly,

    /// <summary>Never: the limit is for all time.</summary>
    Total,
}
