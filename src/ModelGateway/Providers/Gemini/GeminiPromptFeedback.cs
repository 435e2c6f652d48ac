namespace ModelGateway.Providers.Gemini;

/// <summary>Feedback on the prompt; <see cref="BlockReason"/> is set when the prompt was blocked (then there are no candidates).</summary>
internal sealed class GeminiPromptFeedback
{
    public string? BlockReason { get; set; }

    public string? BlockReasonMessage { get; set; }
}
