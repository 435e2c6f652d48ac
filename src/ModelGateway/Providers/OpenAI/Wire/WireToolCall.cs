using System.Text.Json.Serialization;

namespace ModelGateway.Providers.OpenAI.Wire;

/// <summary>A tool call, or a fragment of one in a stream (identified by <see cref="Index"/>).</summary>
internal sealed class WireToolCall
{
    [JsonPropertyName("index")]
    public int? Index { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("function")]
    public WireFunctionCall? Function { get; set; }
}
