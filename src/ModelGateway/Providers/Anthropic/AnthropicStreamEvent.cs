namespace ModelGateway.Providers.Anthropic;

/// <summary>One streamed event; which members are set depends on <see cref="Type"/>.</summary>
internal sealed class AnthropicStreamEvent
{
    public string? Type { get; set; }

    public AnthropicMessageResponse? Message { get; set; }

    public int Index { get; set; }

    public AnthropicContentBlock? ContentBlock { get; set; }

    public AnthropicStreamDelta? Delta { get; set; }

    public AnthropicUsage? Usage { get; set; }

    public AnthropicErrorDetail? Error { get; set; }
}
