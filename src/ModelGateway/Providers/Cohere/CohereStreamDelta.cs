namespace ModelGateway.Providers.Cohere;

/// <summary>The <c>delta</c> of a streamed event: a message fragment, or (in <c>message-end</c>) the finish reason and usage.</summary>
internal sealed class CohereStreamDelta
{
    public CohereStreamMessage? Message { get; set; }

    public string? FinishReason { get; set; }

    public CohereUsage? Usage { get; set; }

    public string? Error { get; set; }
}
