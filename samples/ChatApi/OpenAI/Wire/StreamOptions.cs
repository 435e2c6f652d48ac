using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary><c>stream_options</c>.</summary>
internal sealed class StreamOptions
{
    /// <summary>When true, a last chunk with empty <c>choices</c> carries the usage of the whole request.</summary>
    [JsonPropertyName("include_usage")]
    public bool? IncludeUsage { get; set; }
}
