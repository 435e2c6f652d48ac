namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The tools offered to the model and how it must choose among them.</summary>
internal sealed class ToolConfiguration
{
    public List<Tool> Tools { get; set; } = [];

    public ToolChoice? ToolChoice { get; set; }
}
