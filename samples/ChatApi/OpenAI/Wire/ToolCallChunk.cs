using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>A tool call inside a streamed delta (<c>ChatCompletionMessageToolCallChunk</c>).</summary>
internal sealed class ToolCallChunk
{
    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("function")]
    public WireFunctionCall? Function { get; set; }
}
