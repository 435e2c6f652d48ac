namespace ModelGateway.Providers.Cohere;

/// <summary>Input and output token counts (JSON numbers, read as <see cref="double"/> to accept <c>12.0</c>).</summary>
internal sealed class CohereTokenCounts
{
    public double? InputTokens { get; set; }

    public double? OutputTokens { get; set; }
}
