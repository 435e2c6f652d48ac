namespace ModelGateway.Providers.Cohere;

/// <summary>The function of a tool call; <see cref="Arguments"/> is JSON text.</summary>
internal sealed class CohereFunction
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}
