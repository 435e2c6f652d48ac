namespace ModelGateway.Providers.Anthropic;

/// <summary>The <c>error</c> object of an error body or of a streamed <c>error</c> event.</summary>
internal sealed class AnthropicErrorDetail
{
    public string? Type { get; set; }

    public string? Message { get; set; }
}
