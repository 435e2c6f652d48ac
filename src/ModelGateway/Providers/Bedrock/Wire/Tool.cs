namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A tool, a union whose only member used here is <c>toolSpec</c>.</summary>
internal sealed class Tool
{
    public ToolSpecification? ToolSpec { get; set; }
}
