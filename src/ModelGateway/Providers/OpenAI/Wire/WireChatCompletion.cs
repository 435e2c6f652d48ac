using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelGateway.Providers.OpenAI.Wire;

/// <summary>A Chat Completions answer (<c>chat.completion</c>) or one streamed chunk of it (<c>chat.completion.chunk</c>).</summary>
internal sealed class WireChatCompletion
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("created")]
    public long? Created { get; set; }

    [JsonPropertyName("model")]
    public string? Model { get; set; }

    [JsonPropertyName("system_fingerprint")]
    public string? SystemFingerprint { get; set; }

    [JsonPropertyName("choices")]
    public List<WireChoice>? Choices { get; set; }

    [JsonPropertyName("usage")]
    public WireUsage? Usage { get; set; }

    /// <summary>Gets or sets an error sent inside a 200 stream; kept raw because servers disagree on its shape.</summary>
    [JsonPropertyName("error")]
    public JsonElement? Error { get; set; }
}
