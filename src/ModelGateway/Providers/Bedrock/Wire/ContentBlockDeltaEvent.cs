namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>contentBlockDelta</c> stream event.</summary>
internal sealed class ContentBlockDeltaEvent
{
    public int ContentBlockIndex { get; set; }

    public ContentBlockDelta? Delta { get; set; }
}
