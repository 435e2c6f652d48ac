using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>A function tool call, as an assistant message carries it (request) or the model made it (response).</summary>
internal sealed class WireToolCall
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("function")]
    public WireFunctionCall? Function { get; set; }
}
