using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>One choice of a streamed chunk.</summary>
internal sealed class ChunkChoice
{
    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("delta")]
    public required ChunkDelta Delta { get; set; }

    [JsonPropertyName("logprobs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Logprobs { get; set; }

    /// <summary>Null on every chunk but the one that ends the choice (written as null, as the spec requires).</summary>
    [JsonPropertyName("finish_reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; set; }
}
