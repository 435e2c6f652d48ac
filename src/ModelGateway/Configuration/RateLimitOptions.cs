namespace ModelGateway;

/// <summary>A request and token rate limit for a scope.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Gets or sets what the limit is counted per.</summary>
    public LimitScope Scope { get; set; } = LimitScope.Global;

    /// <summary>Gets or sets the key within the scope, or <c>*</c> for each one separately. Not used for <see cref="LimitScope.Global"/>.</summary>
    public string? Key { get; set; }

    /// <summary>Gets or sets the requests allowed per minute, or <see langword="null"/> for no request limit.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens (estimated input plus reported output) allowed per minute, or <see langword="null"/> for no token limit.</summary>
    public int? TokensPerMinute { get; set; }
}
