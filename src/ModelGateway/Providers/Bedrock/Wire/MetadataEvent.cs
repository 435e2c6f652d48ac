namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>metadata</c> stream event, the last one, carrying usage.</summary>
internal sealed class MetadataEvent
{
    public TokenUsage? Usage { get; set; }
}
