using System.Text.Json.Serialization;

namespace ChatApi.Spend;

/// <summary>The body of <c>GET /api/spend</c>: the total for the period and, unless <c>by=global</c>, the spend of each key.</summary>
internal sealed class SpendReport
{
    [JsonPropertyName("by")]
    public required string By { get; init; }

    [JsonPropertyName("from")]
    public DateTimeOffset From { get; init; }

    [JsonPropertyName("to")]
    public DateTimeOffset To { get; init; }

    [JsonPropertyName("total")]
    public required SpendFigures Total { get; init; }

    /// <summary>Each key with spend in the period, most expensive first.</summary>
    [JsonPropertyName("breakdown")]
    public required List<SpendFigures> Breakdown { get; init; }
}
