namespace ModelGateway.Providers.Anthropic;

/// <summary>A Messages API response (<c>type: "message"</c>), also the <c>message</c> of a streamed <c>message_start</c>.</summary>
internal sealed class AnthropicMessageResponse
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public string? Role { get; set; }

    public string? Model { get; set; }

    public List<AnthropicContentBlock>? Content { get; set; }

    public string? StopReason { get; set; }

    public string? StopSequence { get; set; }

    public AnthropicUsage? Usage { get; set; }
}
