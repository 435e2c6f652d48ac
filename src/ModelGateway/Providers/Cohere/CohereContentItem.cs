namespace ModelGateway.Providers.Cohere;

/// <summary>A content item (<c>text</c> or <c>thinking</c>), whole in a response or a fragment in a stream delta.</summary>
internal sealed class CohereContentItem
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? Thinking { get; set; }
}
