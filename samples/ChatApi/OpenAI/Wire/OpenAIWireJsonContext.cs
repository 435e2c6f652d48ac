using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>Source-generated serialization for the OpenAI wire format (no reflection; trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class OpenAIWireJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Gets the context the endpoint uses: as <see cref="Default"/>, but writing quotes and non-ASCII text as they are
    /// (the body is JSON served as <c>application/json</c>, never embedded in HTML, so the HTML-safe escaping is noise).
    /// </summary>
    public static OpenAIWireJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
