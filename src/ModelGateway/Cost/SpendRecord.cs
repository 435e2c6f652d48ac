namespace ModelGateway;

/// <summary>
/// One provider call to charge: what it cost and used, and who and what it is charged to. The gateway records one per
/// attempt that answered or used tokens, with every key already filled in (<see cref="SpendKeys.Anonymous"/> for a
/// request without a user, team or feature).
/// </summary>
public readonly struct SpendRecord
{
    /// <summary>Gets when the call ended.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the call's cost in US dollars, or <see langword="null"/> when it had no price.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Gets every input token, cached ones included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the input tokens read from a provider's prompt cache (part of <see cref="InputTokens"/>).</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets every output token, reasoning included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets whether the call answered (a failed attempt that used tokens is charged but not counted as a request).</summary>
    public bool Answered { get; init; }

    /// <summary>Gets the user the request was made for.</summary>
    public required string User { get; init; }

    /// <summary>Gets the team the request is charged to.</summary>
    public required string Team { get; init; }

    /// <summary>Gets the feature the request belongs to.</summary>
    public required string Feature { get; init; }

    /// <summary>Gets the request's tags, or <see langword="null"/> for none.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Gets the model alias the application asked for.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the configured provider name that served the call.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the deployment that served the call, as <c>provider/model</c>.</summary>
    public required string Deployment { get; init; }
}
