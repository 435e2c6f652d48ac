namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A function tool: name, description and input JSON schema.</summary>
internal sealed class ToolSpecification
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public ToolInputSchema? InputSchema { get; set; }
}
