namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>An image: <c>format</c> (png, jpeg, gif, webp) and its bytes.</summary>
internal sealed class ImageBlock
{
    public string? Format { get; set; }

    public BytesSource? Source { get; set; }
}
