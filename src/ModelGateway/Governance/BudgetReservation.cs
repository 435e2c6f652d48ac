namespace ModelGateway.Governance;

/// <summary>What one request reserved: the counters it is charged to and the estimate held on each.</summary>
internal readonly struct BudgetReservation
{
    public BudgetReservation(List<BudgetCounter>? counters, decimal estimate)
    {
        Counters = counters;
        Estimate = estimate;
    }

    public List<BudgetCounter>? Counters { get; }

    public decimal Estimate { get; }
}
