namespace ModelGateway.Providers.Gemini;

/// <summary>A <c>Content</c>: a role (<c>user</c> or <c>model</c>) and its parts.</summary>
internal sealed class GeminiContent
{
    public string? Role { get; set; }

    public List<GeminiPart>? Parts { get; set; }
}
