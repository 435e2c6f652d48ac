using Microsoft.Extensions.AI;

namespace ModelGateway;

/// <summary>
/// The gateway itself, for code that needs more than an <see cref="IChatClient"/>: clients pinned to an alias, the configured
/// aliases, the live health of every deployment, and what was spent. Resolve it from dependency injection. Thread-safe.
/// </summary>
public interface IModelGateway
{
    /// <summary>Gets the configured model aliases.</summary>
    IReadOnlyList<string> Models { get; }

    /// <summary>Gets a client pinned to <paramref name="model"/>: every request it makes goes to that alias, whatever
    /// <see cref="ChatOptions.ModelId"/> says.</summary>
    /// <param name="model">A configured alias, or (when allowed) a <c>provider/model</c> address.</param>
    /// <returns>The client; the same instance for the same alias.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownModelException"><paramref name="model"/> is not configured.</exception>
    IChatClient GetChatClient(string model);

    /// <summary>Gets a snapshot of every configured deployment's health, alias by alias.</summary>
    /// <returns>One entry per deployment.</returns>
    IReadOnlyList<DeploymentHealth> GetDeploymentHealth();

    /// <summary>Totals the spend of one user, team, feature, tag, alias, provider or deployment over a period, from the <see cref="ISpendStore"/>.</summary>
    /// <param name="dimension">What <paramref name="key"/> is.</param>
    /// <param name="key">The key (<see cref="SpendKeys.Anonymous"/> for requests that named no user, team or feature; <c>provider/model</c>
    /// for a deployment); ignored for <see cref="SpendDimension.Global"/>.</param>
    /// <param name="from">The start of the period (inclusive; the default store counts the whole UTC hour it falls in, or the whole UTC day for spend older than 48 hours).</param>
    /// <param name="to">The end of the period (exclusive).</param>
    /// <returns>The cost, tokens and requests; zero when nothing was recorded.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty for a dimension other than <see cref="SpendDimension.Global"/>,
    /// or <paramref name="to"/> is before <paramref name="from"/>.</exception>
    SpendSummary GetSpend(SpendDimension dimension, string? key, DateTimeOffset from, DateTimeOffset to);

    /// <summary>Totals the spend over a period by every key of a dimension: the chargeback report (per team, feature, user…).</summary>
    /// <param name="dimension">What to break the spend down by.</param>
    /// <param name="from">The start of the period (inclusive; the default store counts the whole UTC hour it falls in, or the whole UTC day for spend older than 48 hours).</param>
    /// <param name="to">The end of the period (exclusive).</param>
    /// <returns>The totals by key, for every key with spend or tokens in the period.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    IReadOnlyDictionary<string, SpendSummary> GetSpendBreakdown(SpendDimension dimension, DateTimeOffset from, DateTimeOffset to);
}
