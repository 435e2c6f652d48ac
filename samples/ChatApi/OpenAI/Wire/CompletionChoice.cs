using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>One choice of a non-streamed completion.</summary>
internal sealed class CompletionChoice
{
    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("message")]
    public required ResponseMessage Message { get; set; }

    /// <summary>Required by the spec (nullable); the gateway does not return log probabilities.</summary>
    [JsonPropertyName("logprobs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Logprobs { get; set; }

    [JsonPropertyName("finish_reason")]
    public required string FinishReason { get; set; }
}
