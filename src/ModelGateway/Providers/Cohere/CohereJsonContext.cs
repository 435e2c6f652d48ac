using System.Text.Json.Serialization;

namespace ModelGateway.Providers.Cohere;

/// <summary>Source-generated (trimming and AOT safe) JSON contracts of the Cohere wire DTOs.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CohereChatResponse))]
[JsonSerializable(typeof(CohereStreamEvent))]
[JsonSerializable(typeof(CohereErrorResponse))]
internal sealed partial class CohereJsonContext : JsonSerializerContext;
