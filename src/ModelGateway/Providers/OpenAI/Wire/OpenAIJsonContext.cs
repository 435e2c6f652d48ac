using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelGateway.Providers.OpenAI.Wire;

/// <summary>Source-generated serialization for every OpenAI wire type (trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WireChatCompletion))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext;
