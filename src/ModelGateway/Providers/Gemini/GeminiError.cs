namespace ModelGateway.Providers.Gemini;

/// <summary>A <c>google.rpc.Status</c>: HTTP-like code, message, canonical status name and typed details.</summary>
internal sealed class GeminiError
{
    public int? Code { get; set; }

    public string? Message { get; set; }

    public string? Status { get; set; }

    public List<GeminiErrorDetail>? Details { get; set; }
}
