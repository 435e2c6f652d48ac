using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatApi.OpenAI.Wire;

/// <summary>The body of <c>POST /v1/chat/completions</c> (OpenAI's <c>CreateChatCompletionRequest</c>), the fields the gateway maps.</summary>
internal sealed class ChatCompletionRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    [JsonPropertyName("messages")]
    public List<RequestMessage?>? Messages { get; set; }

    [JsonPropertyName("stream")]
    public bool? Stream { get; set; }

    [JsonPropertyName("stream_options")]
    public StreamOptions? StreamOptions { get; set; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; set; }

    [JsonPropertyName("top_p")]
    public float? TopP { get; set; }

    [JsonPropertyName("max_completion_tokens")]
    public int? MaxCompletionTokens { get; set; }

    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; set; }

    [JsonPropertyName("frequency_penalty")]
    public float? FrequencyPenalty { get; set; }

    [JsonPropertyName("presence_penalty")]
    public float? PresencePenalty { get; set; }

    [JsonPropertyName("seed")]
    public long? Seed { get; set; }

    /// <summary>A string or an array of up to four strings.</summary>
    [JsonPropertyName("stop")]
    public JsonElement? Stop { get; set; }

    [JsonPropertyName("n")]
    public int? N { get; set; }

    [JsonPropertyName("tools")]
    public List<RequestTool?>? Tools { get; set; }

    /// <summary><c>"none"</c>, <c>"auto"</c>, <c>"required"</c> or <c>{"type":"function","function":{"name":…}}</c>.</summary>
    [JsonPropertyName("tool_choice")]
    public JsonElement? ToolChoice { get; set; }

    [JsonPropertyName("parallel_tool_calls")]
    public bool? ParallelToolCalls { get; set; }

    /// <summary><c>{"type":"text"}</c>, <c>{"type":"json_object"}</c> or <c>{"type":"json_schema","json_schema":{…}}</c>.</summary>
    [JsonPropertyName("response_format")]
    public JsonElement? ResponseFormat { get; set; }

    /// <summary>The end user; becomes the gateway's user metadata (budgets, rate limits, spend).</summary>
    [JsonPropertyName("user")]
    public string? User { get; set; }
}
