namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The result of a tool call, sent back in a user turn.</summary>
internal sealed class ToolResultBlock
{
    public string? ToolUseId { get; set; }

    public List<ToolResultContentBlock> Content { get; set; } = [];

    public string? Status { get; set; }
}
