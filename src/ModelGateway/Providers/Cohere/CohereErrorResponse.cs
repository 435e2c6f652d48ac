namespace ModelGateway.Providers.Cohere;

/// <summary>An error body: <c>{"id":"..","message":".."}</c>.</summary>
internal sealed class CohereErrorResponse
{
    public string? Id { get; set; }

    public string? Message { get; set; }
}
