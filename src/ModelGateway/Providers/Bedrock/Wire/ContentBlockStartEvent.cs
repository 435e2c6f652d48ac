namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>contentBlockStart</c> stream event (sent for tool-use blocks, not for text).</summary>
internal sealed class ContentBlockStartEvent
{
    public int ContentBlockIndex { get; set; }

    public ContentBlockStart? Start { get; set; }
}
