using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>The function a tool call names, with its arguments as a JSON string.</summary>
internal sealed class WireFunctionCall
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("arguments")]
    public string? Arguments { get; set; }
}
