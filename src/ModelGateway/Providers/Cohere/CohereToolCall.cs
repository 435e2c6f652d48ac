namespace ModelGateway.Providers.Cohere;

/// <summary>A tool call; in a stream, <c>tool-call-start</c> carries id and name and <c>tool-call-delta</c> argument fragments.</summary>
internal sealed class CohereToolCall
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public CohereFunction? Function { get; set; }
}
