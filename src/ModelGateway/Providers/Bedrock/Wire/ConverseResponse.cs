using System.Text.Json;

namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The body of a <c>Converse</c> answer.</summary>
internal sealed class ConverseResponse
{
    public ConverseOutput? Output { get; set; }

    public string? StopReason { get; set; }

    public TokenUsage? Usage { get; set; }

    public JsonElement? AdditionalModelResponseFields { get; set; }
}
