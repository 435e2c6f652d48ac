namespace ModelGateway.Providers.Gemini;

/// <summary>An error body: <c>{"error":{...}}</c> (a <c>google.rpc.Status</c>).</summary>
internal sealed class GeminiErrorResponse
{
    public GeminiError? Error { get; set; }
}
