namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>delta</c> union: <c>text</c>, a <c>toolUse</c> input fragment, or <c>reasoningContent</c>.</summary>
internal sealed class ContentBlockDelta
{
    public string? Text { get; set; }

    public ToolUseBlockDelta? ToolUse { get; set; }

    public ReasoningContentBlockDelta? ReasoningContent { get; set; }
}
