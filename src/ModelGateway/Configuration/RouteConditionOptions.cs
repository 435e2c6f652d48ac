namespace ModelGateway;

/// <summary>The condition of a route. Unset parts match anything; set parts must all hold.</summary>
public sealed class RouteConditionOptions
{
    /// <summary>Gets the tags of which the request must carry at least one.</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>Gets or sets the user the request must be made for.</summary>
    public string? User { get; set; }

    /// <summary>Gets or sets the team the request must be charged to.</summary>
    public string? Team { get; set; }

    /// <summary>Gets or sets the feature the request must belong to.</summary>
    public string? Feature { get; set; }

    /// <summary>Gets or sets the smallest estimated prompt size, in tokens, that matches.</summary>
    public int? MinInputTokens { get; set; }
}
