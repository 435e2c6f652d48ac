using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>One entry of <c>messages</c>: developer, system, user, assistant or tool.</summary>
internal sealed class RequestMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    /// <summary>A string, an array of content parts, or null (an assistant message with tool calls).</summary>
    [JsonPropertyName("content")]
    public JsonElement? Content { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tool_calls")]
    public List<WireToolCall?>? ToolCalls { get; set; }

    [JsonPropertyName("tool_call_id")]
    public string? ToolCallId { get; set; }
}
