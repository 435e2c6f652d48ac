namespace ModelGateway.Providers.Gemini;

/// <summary>Inline bytes (<c>Blob</c>); <see cref="Data"/> is base64.</summary>
internal sealed class GeminiBlob
{
    public string? MimeType { get; set; }

    public string? Data { get; set; }
}
