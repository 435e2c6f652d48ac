using System.Text.Json.Serialization;

namespace ModelGateway.Providers.OpenAI.Wire;

/// <summary>The breakdown of prompt tokens; <see cref="CachedTokens"/> is a subset of the prompt tokens.</summary>
internal sealed class WirePromptTokensDetails
{
    [JsonPropertyName("cached_tokens")]
    public long? CachedTokens { get; set; }
}
