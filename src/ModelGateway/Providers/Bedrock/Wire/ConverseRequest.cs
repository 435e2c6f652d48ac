using System.Text.Json;

namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The body of <c>Converse</c> and <c>ConverseStream</c> (service shape <c>ConverseRequest</c>; the model id goes in the path).</summary>
internal sealed class ConverseRequest
{
    public List<Message> Messages { get; set; } = [];

    public List<ContentBlock>? System { get; set; }

    public InferenceConfiguration? InferenceConfig { get; set; }

    public ToolConfiguration? ToolConfig { get; set; }

    public Dictionary<string, JsonElement>? AdditionalModelRequestFields { get; set; }
}
