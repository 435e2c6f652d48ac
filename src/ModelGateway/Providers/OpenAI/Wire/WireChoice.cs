using System.Text.Json.Serialization;

namespace ModelGateway.Providers.OpenAI.Wire;

/// <summary>One choice: <c>message</c> in an answer, <c>delta</c> in a streamed chunk.</summary>
internal sealed class WireChoice
{
    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("message")]
    public WireMessage? Message { get; set; }

    [JsonPropertyName("delta")]
    public WireMessage? Delta { get; set; }

    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; set; }
}
