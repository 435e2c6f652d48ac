using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>The breakdown of completion tokens.</summary>
internal sealed class CompletionTokensDetails
{
    [JsonPropertyName("reasoning_tokens")]
    public long ReasoningTokens { get; set; }
}
