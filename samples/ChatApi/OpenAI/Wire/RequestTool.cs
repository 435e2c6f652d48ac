using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>One entry of <c>tools</c> (a function tool).</summary>
internal sealed class RequestTool
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("function")]
    public FunctionDefinition? Function { get; set; }
}
