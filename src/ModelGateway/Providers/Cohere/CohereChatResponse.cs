namespace ModelGateway.Providers.Cohere;

/// <summary>A Chat v2 response.</summary>
internal sealed class CohereChatResponse
{
    public string? Id { get; set; }

    public string? FinishReason { get; set; }

    public CohereResponseMessage? Message { get; set; }

    public CohereUsage? Usage { get; set; }
}
