using System.Text.Json.Serialization;

namespace ModelGateway.Cost;

/// <summary>The source-generated serializer for the embedded price table (trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PriceTableDocument))]
internal sealed partial class PriceTableJsonContext : JsonSerializerContext
{
}
