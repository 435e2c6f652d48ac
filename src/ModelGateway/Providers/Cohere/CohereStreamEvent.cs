namespace ModelGateway.Providers.Cohere;

/// <summary>One streamed event (<c>message-start</c>, <c>content-delta</c>, <c>tool-call-start</c>, <c>message-end</c>, …).</summary>
internal sealed class CohereStreamEvent
{
    public string? Type { get; set; }

    public string? Id { get; set; }

    public int Index { get; set; }

    public CohereStreamDelta? Delta { get; set; }
}
