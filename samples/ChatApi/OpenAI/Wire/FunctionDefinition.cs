using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>OpenAI's <c>FunctionObject</c>: a function the model may call.</summary>
internal sealed class FunctionDefinition
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>The JSON schema of the arguments; absent means no parameters.</summary>
    [JsonPropertyName("parameters")]
    public JsonElement? Parameters { get; set; }

    [JsonPropertyName("strict")]
    public bool? Strict { get; set; }
}
