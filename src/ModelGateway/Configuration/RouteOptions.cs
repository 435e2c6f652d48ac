namespace ModelGateway;

/// <summary>A conditional route: when <see cref="When"/> matches a request, it is sent to <see cref="Model"/> instead.</summary>
public sealed class RouteOptions
{
    /// <summary>Gets the condition; every condition that is set must hold.</summary>
    public RouteConditionOptions When { get; } = new();

    /// <summary>Gets or sets the alias that serves matching requests.</summary>
    public string? Model { get; set; }
}
