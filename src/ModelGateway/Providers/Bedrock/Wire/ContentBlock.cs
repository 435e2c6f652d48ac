namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A content block, a union of which exactly one member is set (also used for <c>SystemContentBlock</c>, which only sets <c>text</c>).</summary>
internal sealed class ContentBlock
{
    public string? Text { get; set; }

    public ImageBlock? Image { get; set; }

    public DocumentBlock? Document { get; set; }

    public ToolUseBlock? ToolUse { get; set; }

    public ToolResultBlock? ToolResult { get; set; }

    public ReasoningContentBlock? ReasoningContent { get; set; }
}
