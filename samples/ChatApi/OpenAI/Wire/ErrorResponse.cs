using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>OpenAI's <c>ErrorResponse</c>: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed class ErrorResponse
{
    [JsonPropertyName("error")]
    public required ErrorBody Error { get; set; }
}
