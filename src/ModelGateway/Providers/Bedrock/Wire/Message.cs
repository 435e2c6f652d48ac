namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A conversation turn: <c>role</c> (<c>user</c> or <c>assistant</c>) and its content blocks.</summary>
internal sealed class Message
{
    public string? Role { get; set; }

    public List<ContentBlock>? Content { get; set; }
}
