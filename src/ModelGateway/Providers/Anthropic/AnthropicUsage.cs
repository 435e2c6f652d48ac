namespace ModelGateway.Providers.Anthropic;

/// <summary>Token usage. <c>input_tokens</c> excludes the tokens read from and written to the prompt cache.</summary>
internal sealed class AnthropicUsage
{
    public long? InputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public long? CacheCreationInputTokens { get; set; }

    public long? CacheReadInputTokens { get; set; }
}
