namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>start</c> union of <c>contentBlockStart</c>; the member used here is <c>toolUse</c>.</summary>
internal sealed class ContentBlockStart
{
    public ToolUseBlock? ToolUse { get; set; }
}
