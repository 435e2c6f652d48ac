namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>Reasoning text with the signature that must come back unchanged in later turns.</summary>
internal sealed class ReasoningTextBlock
{
    public string? Text { get; set; }

    public string? Signature { get; set; }
}
