namespace ModelGateway;

/// <summary>
/// Where the gateway keeps what was spent, by user, team, feature, tag, alias, provider and deployment. The default is
/// an in-memory store with hourly resolution for the last 48 hours and daily resolution before that, which forgets spend
/// older than 62 days and holds at most a million buckets (dropping the oldest history, with a warning, past that); register another
/// implementation (before or after <c>AddModelGateway</c>) to keep spend in a database or share it between instances.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe. <see cref="Record"/> is called on the request path once per provider call, so it
/// must not block on I/O: buffer and write in the background. Budgets read <see cref="GetSpend"/> once when they first
/// see a key in a period, so a persistent store also keeps budgets across restarts.
/// </remarks>
public interface ISpendStore
{
    /// <summary>Records one provider call.</summary>
    /// <param name="record">The call's cost, tokens and keys.</param>
    void Record(in SpendRecord record);

    /// <summary>Totals the spend of one key between two instants.</summary>
    /// <param name="dimension">What the key is.</param>
    /// <param name="key">The user, team, feature, tag, alias, provider or <c>provider/model</c> deployment; ignored for <see cref="SpendDimension.Global"/>.</param>
    /// <param name="from">The start of the period (inclusive); the in-memory store counts the whole UTC hour it falls in, or
    /// the whole UTC day for spend older than 48 hours (so periods that start and end on UTC midnights are exact).</param>
    /// <param name="to">The end of the period (exclusive); the in-memory store counts the whole hour (or older day) it falls in.</param>
    /// <returns>The totals; zero when nothing was recorded.</returns>
    SpendSummary GetSpend(SpendDimension dimension, string? key, DateTimeOffset from, DateTimeOffset to);

    /// <summary>Totals the spend of every key of a dimension between two instants: a chargeback report.</summary>
    /// <param name="dimension">What to break the spend down by.</param>
    /// <param name="from">The start of the period (inclusive); the in-memory store counts the whole UTC hour it falls in, or
    /// the whole UTC day for spend older than 48 hours.</param>
    /// <param name="to">The end of the period (exclusive); the in-memory store counts the whole hour (or older day) it falls in.</param>
    /// <returns>The totals by key, for every key with spend or tokens in the period.</returns>
    IReadOnlyDictionary<string, SpendSummary> GetBreakdown(SpendDimension dimension, DateTimeOffset from, DateTimeOffset to);
}
