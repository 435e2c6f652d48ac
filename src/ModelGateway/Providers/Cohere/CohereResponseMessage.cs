namespace ModelGateway.Providers.Cohere;

/// <summary>The assistant message of a response: content items, the tool plan and tool calls.</summary>
internal sealed class CohereResponseMessage
{
    public string? Role { get; set; }

    public List<CohereContentItem>? Content { get; set; }

    public string? ToolPlan { get; set; }

    public List<CohereToolCall>? ToolCalls { get; set; }
}
