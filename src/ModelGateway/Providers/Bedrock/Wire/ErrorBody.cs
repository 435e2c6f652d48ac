using System.Text.Json.Serialization;

namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>
/// An error body (<c>{"message":"..."}</c>, sometimes <c>Message</c> and <c>__type</c>), also the payload of an in-stream
/// exception frame.
/// </summary>
internal sealed class ErrorBody
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("Message")]
    public string? MessageCapitalized { get; set; }

    [JsonPropertyName("__type")]
    public string? Type { get; set; }

    [JsonPropertyName("originalMessage")]
    public string? OriginalMessage { get; set; }
}
