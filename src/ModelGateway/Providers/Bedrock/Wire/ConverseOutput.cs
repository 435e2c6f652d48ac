namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>output</c> union of a <c>Converse</c> answer: the assistant <c>message</c>.</summary>
internal sealed class ConverseOutput
{
    public Message? Message { get; set; }
}
