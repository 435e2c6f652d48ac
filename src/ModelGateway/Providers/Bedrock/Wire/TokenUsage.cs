namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>Token counts. <c>inputTokens</c> excludes the tokens read from or written to the prompt cache.</summary>
internal sealed class TokenUsage
{
    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public int? TotalTokens { get; set; }

    public int? CacheReadInputTokens { get; set; }

    public int? CacheWriteInputTokens { get; set; }
}
