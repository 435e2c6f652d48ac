namespace ModelGateway;

/// <summary>Spend and tokens totalled over a period for one key of a <see cref="SpendDimension"/>.</summary>
public readonly struct SpendSummary : IEquatable<SpendSummary>
{
    /// <summary>Initializes a new instance of the <see cref="SpendSummary"/> struct.</summary>
    /// <param name="costUsd">The priced cost in US dollars.</param>
    /// <param name="inputTokens">Every input token, cached ones included.</param>
    /// <param name="cachedInputTokens">The input tokens read from a provider's prompt cache.</param>
    /// <param name="outputTokens">Every output token, reasoning included.</param>
    /// <param name="requests">The provider calls that answered.</param>
    /// <param name="unpricedCalls">The provider calls that used tokens but had no price, so are missing from <paramref name="costUsd"/>.</param>
    public SpendSummary(decimal costUsd, long inputTokens, long cachedInputTokens, long outputTokens, long requests, long unpricedCalls)
    {
        CostUsd = costUsd;
        InputTokens = inputTokens;
        CachedInputTokens = cachedInputTokens;
        OutputTokens = outputTokens;
        Requests = requests;
        UnpricedCalls = unpricedCalls;
    }

    /// <summary>Gets the priced cost in US dollars: failed attempts that used tokens included, unpriced calls excluded.</summary>
    public decimal CostUsd { get; }

    /// <summary>Gets every input token, cached ones included.</summary>
    public long InputTokens { get; }

    /// <summary>Gets the input tokens read from a provider's prompt cache (part of <see cref="InputTokens"/>).</summary>
    public long CachedInputTokens { get; }

    /// <summary>Gets every output token, reasoning included.</summary>
    public long OutputTokens { get; }

    /// <summary>Gets the number of provider calls that answered (a retried request counts once, for the attempt that answered).</summary>
    public long Requests { get; }

    /// <summary>Gets the number of provider calls that used tokens but had no price; their tokens are counted, their cost is not guessed.</summary>
    public long UnpricedCalls { get; }

    /// <summary>Adds two summaries.</summary>
    /// <param name="left">The first summary.</param>
    /// <param name="right">The second summary.</param>
    /// <returns>The sum.</returns>
    public static SpendSummary operator +(SpendSummary left, SpendSummary right) => new(
        left.CostUsd + right.CostUsd,
        left.InputTokens + right.InputTokens,
        left.CachedInputTokens + right.CachedInputTokens,
        left.OutputTokens + right.OutputTokens,
        left.Requests + right.Requests,
        left.UnpricedCalls + right.UnpricedCalls);

    /// <summary>Compares two summaries.</summary>
    /// <param name="left">The first summary.</param>
    /// <param name="right">The second summary.</param>
    /// <returns>Whether every figure is equal.</returns>
    public static bool operator ==(SpendSummary left, SpendSummary right) => left.Equals(right);

    /// <summary>Compares two summaries.</summary>
    /// <param name="left">The first summary.</param>
    /// <param name="right">The second summary.</param>
    /// <returns>Whether any figure differs.</returns>
    public static bool operator !=(SpendSummary left, SpendSummary right) => !left.Equals(right);

    /// <summary>Adds two summaries.</summary>
    /// <param name="other">The summary to add.</param>
    /// <returns>The sum.</returns>
    public SpendSummary Add(SpendSummary other) => this + other;

    /// <inheritdoc/>
    public bool Equals(SpendSummary other) =>
        CostUsd == other.CostUsd && InputTokens == other.InputTokens && CachedInputTokens == other.CachedInputTokens
        && OutputTokens == other.OutputTokens && Requests == other.Requests && UnpricedCalls == other.UnpricedCalls;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SpendSummary other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(CostUsd, InputTokens, CachedInputTokens, OutputTokens, Requests, UnpricedCalls);

    /// <inheritdoc/>
    public override string ToString() =>
        $"${CostUsd} ({Requests} requests, {InputTokens} input tokens of which {CachedInputTokens} cached, {OutputTokens} output tokens, {UnpricedCalls} unpriced calls)";
}
