using System.Text.Json.Serialization;

namespace ChatApi.Chat;

/// <summary>The body of <c>POST /api/chat</c>.</summary>
internal sealed class ChatRequest
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("user_id")]
    public string? UserId { get; set; }
}
