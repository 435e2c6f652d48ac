namespace ModelGateway.Providers.Gemini;

/// <summary>A response <c>Part</c>: text (a thought when <see cref="Thought"/>), inline data or a function call, with an optional thought signature.</summary>
internal sealed class GeminiPart
{
    public string? Text { get; set; }

    public bool? Thought { get; set; }

    public string? ThoughtSignature { get; set; }

    public GeminiBlob? InlineData { get; set; }

    public GeminiFunctionCall? FunctionCall { get; set; }
}
