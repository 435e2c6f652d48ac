using System.Text.Json.Serialization;

namespace ModelGateway.Providers.Gemini;

/// <summary>Source-generated (trimming and AOT safe) JSON contracts of the Gemini and Vertex AI wire DTOs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GeminiGenerateContentResponse))]
[JsonSerializable(typeof(GeminiErrorResponse))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
