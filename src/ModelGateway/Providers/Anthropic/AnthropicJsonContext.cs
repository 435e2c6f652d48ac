using System.Text.Json.Serialization;

namespace ModelGateway.Providers.Anthropic;

/// <summary>Source-generated (trimming and AOT safe) JSON contracts of the Anthropic wire DTOs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicMessageResponse))]
[JsonSerializable(typeof(AnthropicStreamEvent))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
