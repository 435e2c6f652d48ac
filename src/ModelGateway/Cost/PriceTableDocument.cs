namespace ModelGateway.Cost;

/// <summary>The embedded price table as stored: one section per provider type, each with its source and the date it was read.</summary>
internal sealed class PriceTableDocument
{
    /// <summary>Gets or sets the date (ISO 8601) the table as a whole was last revised.</summary>
    public string? Updated { get; set; }

    public Dictionary<string, PriceTableProvider> Providers { get; set; } = [];
}
