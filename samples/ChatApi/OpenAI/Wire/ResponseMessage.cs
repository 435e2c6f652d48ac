using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>OpenAI's <c>ChatCompletionResponseMessage</c>.</summary>
internal sealed class ResponseMessage
{
    [JsonPropertyName("role")]
    public string Role { get; set; } = "assistant";

    /// <summary>The text; null (written as null) when the model only called tools.</summary>
    [JsonPropertyName("content")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; set; }

    [JsonPropertyName("refusal")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Refusal { get; set; }

    [JsonPropertyName("tool_calls")]
    public List<WireToolCall>? ToolCalls { get; set; }
}
