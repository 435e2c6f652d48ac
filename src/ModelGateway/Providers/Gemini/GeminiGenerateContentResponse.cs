namespace ModelGateway.Providers.Gemini;

/// <summary>A <c>GenerateContentResponse</c>: a whole answer, or one chunk of a stream. A stream may also carry an <see cref="Error"/>.</summary>
internal sealed class GeminiGenerateContentResponse
{
    public List<GeminiCandidate>? Candidates { get; set; }

    public GeminiPromptFeedback? PromptFeedback { get; set; }

    public GeminiUsageMetadata? UsageMetadata { get; set; }

    public string? ModelVersion { get; set; }

    public string? ResponseId { get; set; }

    public GeminiError? Error { get; set; }
}
