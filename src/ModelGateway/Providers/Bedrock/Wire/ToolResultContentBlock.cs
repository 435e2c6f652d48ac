using System.Text.Json;

namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>One block of a tool result: <c>json</c> or <c>text</c>.</summary>
internal sealed class ToolResultContentBlock
{
    public JsonElement? Json { get; set; }

    public string? Text { get; set; }
}
