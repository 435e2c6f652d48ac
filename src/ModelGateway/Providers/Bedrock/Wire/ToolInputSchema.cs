using System.Text.Json;

namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>inputSchema</c> union: <c>json</c>, a JSON schema document.</summary>
internal sealed class ToolInputSchema
{
    public JsonElement? Json { get; set; }
}
