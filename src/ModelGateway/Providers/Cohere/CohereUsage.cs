namespace ModelGateway.Providers.Cohere;

/// <summary>Usage: the tokens the model saw and produced, and the (possibly fewer) units billed.</summary>
internal sealed class CohereUsage
{
    public CohereTokenCounts? BilledUnits { get; set; }

    public CohereTokenCounts? Tokens { get; set; }
}
