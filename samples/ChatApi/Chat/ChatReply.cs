using System.Text.Json.Serialization;

namespace ChatApi.Chat;

/// <summary>The answer of <c>POST /api/chat</c>.</summary>
/// <param name="Reply">The model's answer.</param>
/// <param name="ModelUsed">The alias that answered: <c>primary-chat</c>, or <c>fallback-chat</c> when the primary failed.</param>
internal sealed record ChatReply(
    [property: JsonPropertyName("reply")] string Reply,
    [property: JsonPropertyName("model_used")] string ModelUsed);
