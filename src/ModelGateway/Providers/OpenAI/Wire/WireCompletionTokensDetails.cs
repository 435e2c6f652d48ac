using System.Text.Json.Serialization;

namespace ModelGateway.Providers.OpenAI.Wire;

/// <summary>The breakdown of completion tokens; <see cref="ReasoningTokens"/> is a subset of the completion tokens.</summary>
internal sealed class WireCompletionTokensDetails
{
    [JsonPropertyName("reasoning_tokens")]
    public long? ReasoningTokens { get; set; }
}
