namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>contentBlockStop</c> stream event.</summary>
internal sealed class ContentBlockStopEvent
{
    public int ContentBlockIndex { get; set; }
}
