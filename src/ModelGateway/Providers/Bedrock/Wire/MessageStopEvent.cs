namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>messageStop</c> stream event; usage follows in <c>metadata</c>.</summary>
internal sealed class MessageStopEvent
{
    public string? StopReason { get; set; }
}
