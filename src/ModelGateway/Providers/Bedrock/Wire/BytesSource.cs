namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>source</c> union of an image or document, here always <c>bytes</c> (base64 in JSON).</summary>
internal sealed class BytesSource
{
    public byte[]? Bytes { get; set; }
}
