namespace ModelGateway.Providers.Gemini;

/// <summary>Token counts. Cached tokens are part of the prompt count; thought tokens are not part of the candidates count.</summary>
internal sealed class GeminiUsageMetadata
{
    public long? PromptTokenCount { get; set; }

    public long? CandidatesTokenCount { get; set; }

    public long? TotalTokenCount { get; set; }

    public long? CachedContentTokenCount { get; set; }

    public long? ThoughtsTokenCount { get; set; }

    public long? ToolUsePromptTokenCount { get; set; }
}
