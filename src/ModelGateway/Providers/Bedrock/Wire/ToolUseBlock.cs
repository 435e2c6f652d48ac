using System.Text.Json;

namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A tool call the model made: id, tool name and JSON input (also the <c>toolUse</c> member of <c>contentBlockStart</c>, without input).</summary>
internal sealed class ToolUseBlock
{
    public string? ToolUseId { get; set; }

    public string? Name { get; set; }

    public JsonElement? Input { get; set; }
}
