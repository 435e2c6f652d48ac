namespace ModelGateway;

/// <summary>Keys with a fixed meaning in spend reports, budgets and rate limits.</summary>
public static class SpendKeys
{
    /// <summary>
    /// The key a request is counted under when it names no user (or no team, or no feature): <c>anonymous</c>.
    /// Anonymous traffic is therefore budgeted and rate limited together, never left uncounted.
    /// </summary>
    public const string Anonymous = "anonymous";
}
