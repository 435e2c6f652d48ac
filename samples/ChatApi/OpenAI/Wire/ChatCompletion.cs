using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>OpenAI's <c>CreateChatCompletionResponse</c> (<c>object</c> = <c>chat.completion</c>).</summary>
internal sealed class ChatCompletion
{
    [JsonPropertyName("id")]
    public required string Id { get; set; }

    [JsonPropertyName("object")]
    public string Object { get; set; } = "chat.completion";

    [JsonPropertyName("created")]
    public long Created { get; set; }

    [JsonPropertyName("model")]
    public required string Model { get; set; }

    [JsonPropertyName("choices")]
    public required List<CompletionChoice> Choices { get; set; }

    [JsonPropertyName("usage")]
    public WireUsage? Usage { get; set; }
}
