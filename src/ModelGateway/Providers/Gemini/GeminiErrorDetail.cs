using System.Text.Json.Serialization;

namespace ModelGateway.Providers.Gemini;

/// <summary>One error detail; only <c>RetryInfo.retryDelay</c> and <c>ErrorInfo.reason</c> are read.</summary>
internal sealed class GeminiErrorDetail
{
    [JsonPropertyName("@type")]
    public string? Type { get; set; }

    public string? RetryDelay { get; set; }

    public string? Reason { get; set; }
}
