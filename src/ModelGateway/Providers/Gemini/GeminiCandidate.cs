namespace ModelGateway.Providers.Gemini;

/// <summary>One candidate answer. Only the first is used (<c>candidateCount</c> is never sent).</summary>
internal sealed class GeminiCandidate
{
    public GeminiContent? Content { get; set; }

    public string? FinishReason { get; set; }

    public int Index { get; set; }
}
