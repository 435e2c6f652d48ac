using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>OpenAI's <c>CreateChatCompletionStreamResponse</c> (<c>object</c> = <c>chat.completion.chunk</c>), one SSE event.</summary>
internal sealed class ChatCompletionChunk
{
    [JsonPropertyName("id")]
    public required string Id { get; set; }

    [JsonPropertyName("object")]
    public string Object { get; set; } = "chat.completion.chunk";

    [JsonPropertyName("created")]
    public long Created { get; set; }

    [JsonPropertyName("model")]
    public required string Model { get; set; }

    [JsonPropertyName("choices")]
    public required List<ChunkChoice> Choices { get; set; }

    [JsonPropertyName("usage")]
    public WireUsage? Usage { get; set; }
}
