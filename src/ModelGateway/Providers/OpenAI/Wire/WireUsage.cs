using System.Text.Json.Serialization;

namespace ModelGateway.Providers.OpenAI.Wire;

/// <summary>Token usage of a call.</summary>
internal sealed class WireUsage
{
    [JsonPropertyName("prompt_tokens")]
    public long? PromptTokens { get; set; }

    [JsonPropertyName("completion_tokens")]
    public long? CompletionTokens { get; set; }

    [JsonPropertyName("total_tokens")]
    public long? TotalTokens { get; set; }

    [JsonPropertyName("prompt_tokens_details")]
    public WirePromptTokensDetails? PromptTokensDetails { get; set; }

    [JsonPropertyName("completion_tokens_details")]
    public WireCompletionTokensDetails? CompletionTokensDetails { get; set; }
}
