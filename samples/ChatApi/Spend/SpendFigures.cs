using System.Text.Json.Serialization;
using ModelGateway;

namespace ChatApi.Spend;

/// <summary>The spend of one key (or of everything) over the period, as <c>GET /api/spend</c> reports it.</summary>
internal sealed class SpendFigures
{
    /// <summary>The team, feature, user… the figures belong to; absent on the total.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    [JsonPropertyName("cost_usd")]
    public decimal CostUsd { get; init; }

    [JsonPropertyName("requests")]
    public long Requests { get; init; }

    [JsonPropertyName("input_tokens")]
    public long InputTokens { get; init; }

    [JsonPropertyName("cached_input_tokens")]
    public long CachedInputTokens { get; init; }

    [JsonPropertyName("output_tokens")]
    public long OutputTokens { get; init; }

    /// <summary>Calls that used tokens but had no price: counted here, missing from <see cref="CostUsd"/>.</summary>
    [JsonPropertyName("unpriced_calls")]
    public long UnpricedCalls { get; init; }

    public static SpendFigures From(string? key, SpendSummary summary) => new()
    {
        Key = key,
        CostUsd = summary.CostUsd,
        Requests = summary.Requests,
        InputTokens = summary.InputTokens,
        CachedInputTokens = summary.CachedInputTokens,
        OutputTokens = summary.OutputTokens,
        UnpricedCalls = summary.UnpricedCalls,
    };
}
