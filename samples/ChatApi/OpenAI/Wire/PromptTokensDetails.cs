using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>The breakdown of prompt tokens.</summary>
internal sealed class PromptTokensDetails
{
    [JsonPropertyName("cached_tokens")]
    public long CachedTokens { get; set; }
}
