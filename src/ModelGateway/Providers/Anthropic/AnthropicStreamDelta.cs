namespace ModelGateway.Providers.Anthropic;

/// <summary>The <c>delta</c> of a <c>content_block_delta</c> (text, input JSON, thinking, signature) or of a <c>message_delta</c> (stop reason).</summary>
internal sealed class AnthropicStreamDelta
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? PartialJson { get; set; }

    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    public string? StopReason { get; set; }
}
