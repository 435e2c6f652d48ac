namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The model's reasoning: <c>reasoningText</c> (text and signature) or encrypted <c>redactedContent</c>.</summary>
internal sealed class ReasoningContentBlock
{
    public ReasoningTextBlock? ReasoningText { get; set; }

    public byte[]? RedactedContent { get; set; }
}
