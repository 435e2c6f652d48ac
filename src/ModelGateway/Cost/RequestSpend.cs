namespace ModelGateway.Cost;

/// <summary>
/// What one request's attempts cost and used so far, kept on the request context by the <see cref="CostObserver"/> and
/// read by the budget and rate-limit stages when the request ends. One request updates it from one flow at a time.
/// A mutable struct held in the context (no allocation per request): update it through
/// <see cref="Gateway.GatewayRequestContext.Spend"/>, which returns it by reference.
/// </summary>
internal struct RequestSpend
{
    /// <summary>Gets the sum of every priced attempt's cost: what budgets charge and the spend store recorded.</summary>
    public decimal PricedCostUsd { get; private set; }

    /// <summary>Gets whether some attempt used tokens without a price, or the answer reported no usage: the total is then not known.</summary>
    public bool Incomplete { get; private set; }

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    /// <summary>Gets the request's cost: <see langword="null"/> when <see cref="Incomplete"/>, never a guess.</summary>
    public readonly decimal? CostUsd => Incomplete ? null : PricedCostUsd;

    public void Add(decimal? cost, long inputTokens, long outputTokens)
    {
        if (cost is { } value)
        {
            PricedCostUsd += value;
        }
        else
        {
            Incomplete = true;
        }

        InputTokens += inputTokens;
        OutputTokens += outputTokens;
    }
}
