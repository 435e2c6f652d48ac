namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A reasoning delta: <c>text</c>, <c>signature</c> or <c>redactedContent</c>.</summary>
internal sealed class ReasoningContentBlockDelta
{
    public string? Text { get; set; }

    public string? Signature { get; set; }

    public byte[]? RedactedContent { get; set; }
}
