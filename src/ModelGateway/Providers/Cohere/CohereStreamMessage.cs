using System.Text.Json;

namespace ModelGateway.Providers.Cohere;

/// <summary>
/// The message fragment of a streamed delta: one content item, a tool-plan fragment, or one tool call. <c>content</c> and
/// <c>tool_calls</c> are objects in content and tool-call events but empty arrays in <c>message-start</c>, so they stay raw.
/// </summary>
internal sealed class CohereStreamMessage
{
    public string? Role { get; set; }

    public JsonElement Content { get; set; }

    public string? ToolPlan { get; set; }

    public JsonElement ToolCalls { get; set; }
}
