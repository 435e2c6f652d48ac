namespace ModelGateway.Cost;

/// <summary>One provider type's section of the embedded price table.</summary>
internal sealed class PriceTableProvider
{
    /// <summary>Gets or sets where the prices were read (the provider's own pricing page).</summary>
    public string? Source { get; set; }

    /// <summary>Gets or sets the date (ISO 8601) the prices were read from <see cref="Source"/>.</summary>
    public string? Checked { get; set; }

    public Dictionary<string, PriceTableModel> Models { get; set; } = [];
}
