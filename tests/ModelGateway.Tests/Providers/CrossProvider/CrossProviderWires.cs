using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.CrossProvider.CrossProviderConversation;

namespace ModelGateway.Tests.Providers.CrossProvider;

/// <summary>What the loopback vendor answers: a tool call (with a short preamble) or plain text, both with usage.</summary>
internal enum CrossProviderScenario
{
    ToolCall,
    Text,
}

/// <summary>
/// One vendor's side of the cross-provider test: its gateway configuration, the bodies it answers with (shaped after the
/// vendor's API reference, as recorded from the real service) and what the conversation must look like on its wire.
/// Every answer reports the same normalised usage: input 1200 (1024 of it cached), output 25, total 1225.
/// </summary>
internal abstract class ProviderWire
{
    public static readonly IReadOnlyList<ProviderWire> All =
        [new OpenAIWire(), new AnthropicWire(), new GeminiWire(vertex: false), new GeminiWire(vertex: true), new CohereWire()];

    /// <summary>The provider's name under <c>ModelGateway:Providers</c>.</summary>
    public abstract string Provider { get; }

    /// <summary>The gateway alias routed to this provider only.</summary>
    public abstract string Alias { get; }

    /// <summary>The vendor's model id (the deployment's <c>Model</c>).</summary>
    public abstract string Model { get; }

    /// <summary>Whether the vendor reports cached input tokens (Cohere does not).</summary>
    public virtual bool ReportsCachedInput => true;

    public static ProviderWire Named(string provider)
    {
        foreach (ProviderWire wire in All)
        {
            if (wire.Provider == provider)
            {
                return wire;
            }
        }

        throw new ArgumentException($"No wire for provider '{provider}'.", nameof(provider));
    }

    /// <summary>The provider's configuration entry, pointed at <paramref name="server"/>.</summary>
    public abstract string ProviderConfig(Uri server);

    /// <summary>Whether the recorded request asked for a stream.</summary>
    public virtual bool IsStreaming(HttpContext context, JsonNode body) => body["stream"]?.GetValue<bool>() == true;

    public abstract string JsonAnswer(CrossProviderScenario scenario);

    /// <summary>The server-sent events of a streamed answer, framed as the vendor frames them.</summary>
    public abstract string SseAnswer(CrossProviderScenario scenario);

    /// <summary>Asserts the path and credentials of a request.</summary>
    public abstract void AssertRoute(RecordedRequest request, bool streaming);

    /// <summary>The body the conversation must produce on this vendor's wire (without stream flags).</summary>
    public abstract string ExpectedBody { get; }

    /// <summary>Turns the parts of a body that vary in form but not in meaning (arguments as JSON text) into JSON, and drops stream flags.</summary>
    public virtual JsonNode Normalize(JsonNode body) => body;

    public async Task AnswerAsync(HttpContext context, CrossProviderScenario scenario)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        JsonNode body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        if (IsStreaming(context, body))
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(SseAnswer(scenario));
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonAnswer(scenario));
    }

    /// <summary>A JSON string literal.</summary>
    protected static string Q(string value) => JsonSerializer.Serialize(value);

    /// <summary>Replaces <c>function.arguments</c> JSON text with the object it encodes, in every tool call of every message.</summary>
    protected static void ParseToolCallArguments(JsonNode body)
    {
        foreach (JsonNode? message in body["messages"]!.AsArray())
        {
            if (message?["tool_calls"] is JsonArray calls)
            {
                foreach (JsonNode? call in calls)
                {
                    JsonObject function = call!["function"]!.AsObject();
                    function["arguments"] = JsonNode.Parse(function["arguments"]!.GetValue<string>());
                }
            }
        }
    }

    protected static void RemoveStreamFlags(JsonNode body, params string[] names)
    {
        foreach (string name in names)
        {
            body.AsObject().Remove(name);
        }
    }
}

/// <summary>OpenAI Chat Completions.</summary>
internal sealed class OpenAIWire : ProviderWire
{
    public const string Key = "sk-proj-crossprovider-0123456789";

    public override string Provider => "openai";

    public override string Alias => "gpt";

    public override string Model => "gpt-4o";

    public override string ProviderConfig(Uri server) => $$"""{ "Type": "openai", "BaseUrl": "{{server}}v1", "ApiKey": "{{Key}}" }""";

    public override void AssertRoute(RecordedRequest request, bool streaming)
    {
        Assert.Equal(("POST", "/v1/chat/completions"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Key, request.Header("authorization"));
        if (streaming)
        {
            JsonNode body = JsonNode.Parse(request.BodyText)!;
            Assert.True(body["stream"]!.GetValue<bool>());
            Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
        }
    }

    public override string ExpectedBody => $$$"""
        {"model":"gpt-4o",
         "messages":[
           {"role":"system","content":{{{Q(SystemPrompt)}}}},
           {"role":"user","content":[{"type":"text","text":{{{Q(FirstQuestion)}}}},{"type":"image_url","image_url":{"url":"data:image/png;base64,{{{PngBase64}}}"}}]},
           {"role":"assistant","content":null,"tool_calls":[{"id":"{{{CallId}}}","type":"function","function":{"name":"{{{ToolName}}}","arguments":{{{SentArguments}}}}}]},
           {"role":"tool","tool_call_id":"{{{CallId}}}","content":{{{Q(ToolResult)}}}},
           {"role":"user","content":{{{Q(SecondQuestion)}}}}],
         "tools":[{"type":"function","function":{"name":"{{{ToolName}}}","description":{{{Q(ToolDescription)}}},"parameters":{{{ToolSchema}}}}}]}
        """;

    public override JsonNode Normalize(JsonNode body)
    {
        ParseToolCallArguments(body);
        RemoveStreamFlags(body, "stream", "stream_options");
        return body;
    }

    public override string JsonAnswer(CrossProviderScenario scenario)
    {
        string message = scenario == CrossProviderScenario.ToolCall
            ? $$$"""{"role":"assistant","content":{{{Q(Preamble)}}},"tool_calls":[{"id":"call_Qm7cX2vLw","type":"function","function":{"name":"{{{ToolName}}}","arguments":{{{Q(AnsweredArguments)}}}}}],"refusal":null,"annotations":[]}"""
            : $$"""{"role":"assistant","content":{{Q(Answer)}},"refusal":null,"annotations":[]}""";
        string finish = scenario == CrossProviderScenario.ToolCall ? "tool_calls" : "stop";
        return $$"""
            {"id":"chatcmpl-CrossA1","object":"chat.completion","created":1757000000,"model":"gpt-4o-2024-08-06",
             "choices":[{"index":0,"message":{{message}},"logprobs":null,"finish_reason":"{{finish}}"}],
             "usage":{{Usage}},"service_tier":"default","system_fingerprint":"fp_cb2a0d0c2e"}
            """;
    }

    public override string SseAnswer(CrossProviderScenario scenario)
    {
        var events = new List<string> { Chunk("""{"role":"assistant","content":"","refusal":null}""") };
        if (scenario == CrossProviderScenario.ToolCall)
        {
            events.Add(Chunk($$"""{"content":{{Q("Let me check ")}}}"""));
            events.Add(Chunk($$"""{"content":{{Q("the forecast for Lyon.")}}}"""));
            events.Add(Chunk($$$"""{"tool_calls":[{"index":0,"id":"call_Qm7cX2vLw","type":"function","function":{"name":"{{{ToolName}}}","arguments":""}}]}"""));
            events.Add(Chunk($$$"""{"tool_calls":[{"index":0,"function":{"arguments":{{{Q("{\"city\":\"Lyon\",")}}}}}]}"""));
            events.Add(Chunk($$$"""{"tool_calls":[{"index":0,"function":{"arguments":{{{Q("\"unit\":\"celsius\",\"days_ahead\":1}")}}}}}]}"""));
            events.Add(Chunk("{}", "tool_calls"));
        }
        else
        {
            events.Add(Chunk($$"""{"content":{{Q("Tomorrow Lyon will be ")}}}"""));
            events.Add(Chunk($$"""{"content":{{Q("21°C and sunny.")}}}"""));
            events.Add(Chunk("{}", "stop"));
        }

        events.Add($$"""{"id":"chatcmpl-CrossS1","object":"chat.completion.chunk","created":1757000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_cb2a0d0c2e","choices":[],"usage":{{Usage}}}""");
        events.Add("[DONE]");
        var sse = new StringBuilder();
        foreach (string data in events)
        {
            sse.Append("data: ").Append(data).Append("\n\n");
        }

        return sse.ToString();
    }

    private const string Usage =
        """{"prompt_tokens":1200,"completion_tokens":25,"total_tokens":1225,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""";

    private static string Chunk(string delta, string? finishReason = null) =>
        $$"""{"id":"chatcmpl-CrossS1","object":"chat.completion.chunk","created":1757000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_cb2a0d0c2e","choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{(finishReason is null ? "null" : Q(finishReason))}}}],"usage":null}""";
}

/// <summary>Anthropic Messages API.</summary>
internal sealed class AnthropicWire : ProviderWire
{
    public const string Key = "sk-ant-api03-crossprovider-0123456789";

    public override string Provider => "anthropic";

    public override string Alias => "claude";

    public override string Model => "claude-sonnet-4-5";

    public override string ProviderConfig(Uri server) => $$"""{ "Type": "anthropic", "BaseUrl": "{{server}}", "ApiKey": "{{Key}}" }""";

    public override void AssertRoute(RecordedRequest request, bool streaming)
    {
        Assert.Equal(("POST", "/v1/messages"), (request.Method, request.PathAndQuery));
        Assert.Equal(Key, request.Header("x-api-key"));
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        Assert.Equal(streaming, JsonNode.Parse(request.BodyText)!["stream"]?.GetValue<bool>() == true);
    }

    // Tool results open the user turn that follows the call; the second question joins that turn (roles must alternate).
    public override string ExpectedBody => $$$"""
        {"model":"claude-sonnet-4-5","max_tokens":4096,
         "system":[{"type":"text","text":{{{Q(SystemPrompt)}}}}],
         "messages":[
           {"role":"user","content":[{"type":"text","text":{{{Q(FirstQuestion)}}}},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{PngBase64}}}"}}]},
           {"role":"assistant","content":[{"type":"tool_use","id":"{{{CallId}}}","name":"{{{ToolName}}}","input":{{{SentArguments}}}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{CallId}}}","content":{{{Q(ToolResult)}}}},{"type":"text","text":{{{Q(SecondQuestion)}}}}]}],
         "tools":[{"name":"{{{ToolName}}}","description":{{{Q(ToolDescription)}}},"input_schema":{{{ToolSchema}}}}]}
        """;

    public override JsonNode Normalize(JsonNode body)
    {
        RemoveStreamFlags(body, "stream");
        return body;
    }

    // Anthropic's input_tokens excludes cache reads and writes: 176 + 1024 read + 0 written = 1200.
    public override string JsonAnswer(CrossProviderScenario scenario)
    {
        string content = scenario == CrossProviderScenario.ToolCall
            ? $$"""[{"type":"text","text":{{Q(Preamble)}}},{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"{{ToolName}}","input":{{AnsweredArguments}}}]"""
            : $$"""[{"type":"text","text":{{Q(Answer)}}}]""";
        string stop = scenario == CrossProviderScenario.ToolCall ? "tool_use" : "end_turn";
        return $$$"""
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":{{{content}}},"stop_reason":"{{{stop}}}","stop_sequence":null,
             "usage":{"input_tokens":176,"cache_creation_input_tokens":0,"cache_read_input_tokens":1024,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":25,"service_tier":"standard"}}
            """;
    }

    public override string SseAnswer(CrossProviderScenario scenario)
    {
        var events = new List<(string, string)>
        {
            ("message_start", """{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":176,"cache_creation_input_tokens":0,"cache_read_input_tokens":1024,"output_tokens":1,"service_tier":"standard"}}}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("ping", """{"type": "ping"}"""),
        };
        string stop;
        if (scenario == CrossProviderScenario.ToolCall)
        {
            events.Add(("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Q("Let me check ")}}}}}"""));
            events.Add(("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Q("the forecast for Lyon.")}}}}}"""));
            events.Add(("content_block_stop", """{"type":"content_block_stop","index":0}"""));
            events.Add(("content_block_start", $$$$"""{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"{{{{ToolName}}}}","input":{}}}"""));
            events.Add(("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"""));
            events.Add(("content_block_delta", $$$"""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":{{{Q("{\"city\": \"Lyon\", \"unit\": \"cel")}}}}}"""));
            events.Add(("content_block_delta", $$$"""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":{{{Q("sius\", \"days_ahead\": 1}")}}}}}"""));
            events.Add(("content_block_stop", """{"type":"content_block_stop","index":1}"""));
            stop = "tool_use";
        }
        else
        {
            events.Add(("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Q("Tomorrow Lyon will be ")}}}}}"""));
            events.Add(("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Q("21°C and sunny.")}}}}}"""));
            events.Add(("content_block_stop", """{"type":"content_block_stop","index":0}"""));
            stop = "end_turn";
        }

        events.Add(("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stop}}}","stop_sequence":null},"usage":{"output_tokens":25}}"""));
        events.Add(("message_stop", """{"type":"message_stop"}"""));
        var sse = new StringBuilder();
        foreach ((string name, string data) in events)
        {
            sse.Append("event: ").Append(name).Append('\n').Append("data: ").Append(data).Append("\n\n");
        }

        return sse.ToString();
    }
}

/// <summary>Gemini API (AI Studio) or Vertex AI: one wire format, different routes and credentials.</summary>
internal sealed class GeminiWire(bool vertex) : ProviderWire
{
    public const string Key = "AIzaSy-crossprovider-0123456789";
    public const string VertexToken = "ya29.crossprovider-token";

    public override string Provider => vertex ? "vertex-ai" : "gemini";

    public override string Alias => vertex ? "vertex-flash" : "gemini-flash";

    public override string Model => "gemini-2.5-flash";

    public override string ProviderConfig(Uri server) => vertex
        ? $$"""{ "Type": "vertex-ai", "BaseUrl": "{{server}}", "Project": "travel-prod", "Location": "europe-west4", "AccessToken": "{{VertexToken}}" }"""
        : $$"""{ "Type": "gemini", "BaseUrl": "{{server}}", "ApiKey": "{{Key}}" }""";

    public override bool IsStreaming(HttpContext context, JsonNode body) =>
        context.Request.Path.Value!.EndsWith(":streamGenerateContent", StringComparison.Ordinal);

    public override void AssertRoute(RecordedRequest request, bool streaming)
    {
        string model = vertex
            ? "/v1/projects/travel-prod/locations/europe-west4/publishers/google/models/gemini-2.5-flash"
            : "/v1beta/models/gemini-2.5-flash";
        Assert.Equal(("POST", model + (streaming ? ":streamGenerateContent?alt=sse" : ":generateContent")), (request.Method, request.PathAndQuery));
        if (vertex)
        {
            Assert.Equal("Bearer " + VertexToken, request.Header("authorization"));
            Assert.Null(request.Header("x-goog-api-key"));
        }
        else
        {
            Assert.Equal(Key, request.Header("x-goog-api-key"));
            Assert.Null(request.Header("authorization"));
        }
    }

    // The call id came from another vendor, so it is sent as functionCall.id and echoed in functionResponse.id; the
    // response names the function of the matching call.
    public override string ExpectedBody => $$$$"""
        {"systemInstruction":{"parts":[{"text":{{{{Q(SystemPrompt)}}}}}]},
         "contents":[
           {"role":"user","parts":[{"text":{{{{Q(FirstQuestion)}}}}},{"inlineData":{"mimeType":"image/png","data":"{{{{PngBase64}}}}"}}]},
           {"role":"model","parts":[{"functionCall":{"id":"{{{{CallId}}}}","name":"{{{{ToolName}}}}","args":{{{{SentArguments}}}}}}]},
           {"role":"user","parts":[{"functionResponse":{"id":"{{{{CallId}}}}","name":"{{{{ToolName}}}}","response":{"output":{{{{Q(ToolResult)}}}}}}},{"text":{{{{Q(SecondQuestion)}}}}}]}],
         "tools":[{"functionDeclarations":[{"name":"{{{{ToolName}}}}","description":{{{{Q(ToolDescription)}}}},"parametersJsonSchema":{{{{ToolSchema}}}}}]}]}
        """;

    // Gemini 2.5 thinks by default: output = candidates 17 + thoughts 8; the cached 1024 are inside promptTokenCount.
    // Gemini has no tool-call finish reason: a turn that calls a function ends with STOP.
    public override string JsonAnswer(CrossProviderScenario scenario) => Chunk(
        scenario == CrossProviderScenario.ToolCall
            ? $$"""[{"text":{{Q(Preamble)}}},{"functionCall":{"name":"{{ToolName}}","args":{{AnsweredArguments}}},"thoughtSignature":"CiQB0e2Kb7pXcrossprovider"}]"""
            : $$"""[{"text":{{Q(Answer)}}}]""",
        finished: true);

    public override string SseAnswer(CrossProviderScenario scenario)
    {
        string[] chunks = scenario == CrossProviderScenario.ToolCall
            ?
            [
                Chunk($$"""[{"text":{{Q("Let me check ")}}}]""", finished: false),
                Chunk($$"""[{"text":{{Q("the forecast for Lyon.")}}},{"functionCall":{"name":"{{ToolName}}","args":{{AnsweredArguments}}},"thoughtSignature":"CiQB0e2Kb7pXcrossprovider"}]""", finished: true),
            ]
            :
            [
                Chunk($$"""[{"text":{{Q("Tomorrow Lyon will be ")}}}]""", finished: false),
                Chunk($$"""[{"text":{{Q("21°C and sunny.")}}}]""", finished: true),
            ];
        var sse = new StringBuilder();
        foreach (string chunk in chunks)
        {
            sse.Append("data: ").Append(chunk).Append("\r\n\r\n");
        }

        return sse.ToString();
    }

    private string Chunk(string parts, bool finished)
    {
        // Streams report the prompt on every chunk and the full counts on the last one.
        string usage = finished
            ? """{"promptTokenCount":1200,"candidatesTokenCount":17,"totalTokenCount":1225,"cachedContentTokenCount":1024,"promptTokensDetails":[{"modality":"TEXT","tokenCount":942},{"modality":"IMAGE","tokenCount":258}],"cacheTokensDetails":[{"modality":"TEXT","tokenCount":1024}],"thoughtsTokenCount":8"""
            : """{"promptTokenCount":1200,"totalTokenCount":1208,"cachedContentTokenCount":1024,"thoughtsTokenCount":8""";
        string finish = finished ? ",\"finishReason\":\"STOP\",\"avgLogprobs\":-0.12" : string.Empty;
        string vertexOnly = vertex ? ",\"trafficType\":\"ON_DEMAND\"" : string.Empty;
        string createTime = vertex ? "\"createTime\":\"2025-09-08T10:12:31.482915Z\"," : string.Empty;
        return $$"""{"candidates":[{"content":{"role":"model","parts":{{parts}}}{{finish}},"index":0}],"usageMetadata":{{usage}}{{vertexOnly}}},"modelVersion":"gemini-2.5-flash",{{createTime}}"responseId":"8Pq-aLyLHuqE1MkP3oWZ0Ak"}""";
    }
}

/// <summary>Cohere Chat v2.</summary>
internal sealed class CohereWire : ProviderWire
{
    public const string Key = "co-crossprovider-0123456789";

    public override string Provider => "cohere";

    public override string Alias => "command";

    public override string Model => "command-a-vision-07-2025";

    public override bool ReportsCachedInput => false;

    public override string ProviderConfig(Uri server) => $$"""{ "Type": "cohere", "BaseUrl": "{{server}}", "ApiKey": "{{Key}}" }""";

    public override void AssertRoute(RecordedRequest request, bool streaming)
    {
        Assert.Equal(("POST", "/v2/chat"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer " + Key, request.Header("authorization"));
        Assert.Equal(streaming, JsonNode.Parse(request.BodyText)!["stream"]?.GetValue<bool>() == true);
    }

    public override string ExpectedBody => $$$"""
        {"model":"command-a-vision-07-2025",
         "messages":[
           {"role":"system","content":{{{Q(SystemPrompt)}}}},
           {"role":"user","content":[{"type":"text","text":{{{Q(FirstQuestion)}}}},{"type":"image_url","image_url":{"url":"data:image/png;base64,{{{PngBase64}}}"}}]},
           {"role":"assistant","tool_calls":[{"id":"{{{CallId}}}","type":"function","function":{"name":"{{{ToolName}}}","arguments":{{{SentArguments}}}}}]},
           {"role":"tool","tool_call_id":"{{{CallId}}}","content":{{{Q(ToolResult)}}}},
           {"role":"user","content":[{"type":"text","text":{{{Q(SecondQuestion)}}}}]}],
         "tools":[{"type":"function","function":{"name":"{{{ToolName}}}","description":{{{Q(ToolDescription)}}},"parameters":{{{ToolSchema}}}}}]}
        """;

    public override JsonNode Normalize(JsonNode body)
    {
        ParseToolCallArguments(body);
        RemoveStreamFlags(body, "stream");
        return body;
    }

    // usage.tokens counts what the model saw (1200 in); billed_units is what is charged and is not the normalised figure.
    public override string JsonAnswer(CrossProviderScenario scenario)
    {
        string message = scenario == CrossProviderScenario.ToolCall
            ? $$$"""{"role":"assistant","tool_plan":{{{Q(Preamble)}}},"tool_calls":[{"id":"get_weather_k8r3m2p1x9q4","type":"function","function":{"name":"{{{ToolName}}}","arguments":{{{Q(AnsweredArguments)}}}}}]}"""
            : $$"""{"role":"assistant","content":[{"type":"text","text":{{Q(Answer)}}}]}""";
        string finish = scenario == CrossProviderScenario.ToolCall ? "TOOL_CALL" : "COMPLETE";
        return $$$$"""
            {"id":"5a50480a-cf52-46f0-af01-53d18539bd31","message":{{{{message}}}},"finish_reason":"{{{{finish}}}}",
             "usage":{"billed_units":{"input_tokens":1141,"output_tokens":25},"tokens":{"input_tokens":1200,"output_tokens":25}}}
            """;
    }

    public override string SseAnswer(CrossProviderScenario scenario)
    {
        var events = new List<string>
        {
            """{"type":"message-start","id":"5a50480a-cf52-46f0-af01-53d18539bd31","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}""",
        };
        string finish;
        if (scenario == CrossProviderScenario.ToolCall)
        {
            events.Add($$$$"""{"type":"tool-plan-delta","delta":{"message":{"tool_plan":{{{{Q("Let me check ")}}}}}}}""");
            events.Add($$$$"""{"type":"tool-plan-delta","delta":{"message":{"tool_plan":{{{{Q("the forecast for Lyon.")}}}}}}}""");
            events.Add($$$$$$"""{"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_k8r3m2p1x9q4","type":"function","function":{"name":"{{{{{{ToolName}}}}}}","arguments":""}}}}}""");
            events.Add($$$$$$"""{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":{{{{{{Q("{\n    \"city\": \"Lyon\",\n    \"unit\": \"cel")}}}}}}}}}}}""");
            events.Add($$$$$$"""{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":{{{{{{Q("sius\",\n    \"days_ahead\": 1\n}")}}}}}}}}}}}""");
            events.Add("""{"type":"tool-call-end","index":0}""");
            finish = "TOOL_CALL";
        }
        else
        {
            events.Add("""{"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}""");
            events.Add($$$$$"""{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":{{{{{Q("Tomorrow Lyon will be ")}}}}}}}}}""");
            events.Add($$$$$"""{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":{{{{{Q("21°C and sunny.")}}}}}}}}}""");
            events.Add("""{"type":"content-end","index":0}""");
            finish = "COMPLETE";
        }

        events.Add($$$$$"""{"type":"message-end","delta":{"finish_reason":"{{{{{finish}}}}}","usage":{"billed_units":{"input_tokens":1141,"output_tokens":25},"tokens":{"input_tokens":1200,"output_tokens":25}}}}""");
        var sse = new StringBuilder();
        foreach (string data in events)
        {
            string type = JsonNode.Parse(data)!["type"]!.GetValue<string>();
            sse.Append("event: ").Append(type).Append('\n').Append("data: ").Append(data).Append("\n\n");
        }

        return sse.ToString();
    }
}
