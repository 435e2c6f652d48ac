namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>messageStart</c> stream event.</summary>
internal sealed class MessageStartEvent
{
    public string? Role { get; set; }
}
