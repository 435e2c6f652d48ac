using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

public sealed class OpenAIChatClientRequestTests
{
    [Fact]
    public async Task GetResponseAsync_PlainCall_SendsUrlHeadersAndBody()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress, o =>
        {
            o.Organization = "org-1";
            o.Project = "proj-1";
            o.Headers["X-Custom"] = "custom-value";
        });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { ModelId = "gpt-4o", Instructions = "You are terse." });

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.PathAndQuery);
        Assert.Equal("Bearer " + Key, request.Header("Authorization"));
        Assert.Equal("org-1", request.Header("OpenAI-Organization"));
        Assert.Equal("proj-1", request.Header("OpenAI-Project"));
        Assert.Equal("custom-value", request.Header("X-Custom"));
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        JsonElement body = request.BodyJson();
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("stream").GetBoolean());
        Assert.False(body.TryGetProperty("stream_options", out _));
        Assert.Equal(
            """[{"role":"system","content":"You are terse."},{"role":"user","content":"Hi"}]""",
            body.GetProperty("messages").GetRawText());
    }

    [Fact]
    public async Task GetResponseAsync_EveryOption_MapsToBodyFields()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress);
        var options = new ChatOptions
        {
            ModelId = "gpt-4o",
            Temperature = 0.25f,
            TopP = 0.5f,
            MaxOutputTokens = 512,
            StopSequences = ["END", "STOP"],
            Seed = 42,
            FrequencyPenalty = 0.75f,
            PresencePenalty = -0.5f,
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low },
            AdditionalProperties = new() { ["user"] = "u-1", ["logprobs"] = true, ["metadata"] = new Dictionary<string, string> { ["k"] = "v" } },
        };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options);

        JsonElement body = Assert.Single(server.Requests).BodyJson();
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble());
        Assert.Equal(512, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_tokens", out _));
        Assert.Equal("""["END","STOP"]""", body.GetProperty("stop").GetRawText());
        Assert.Equal(42, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.75, body.GetProperty("frequency_penalty").GetDouble());
        Assert.Equal(-0.5, body.GetProperty("presence_penalty").GetDouble());
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        Assert.Equal("u-1", body.GetProperty("user").GetString());
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        Assert.Equal("v", body.GetProperty("metadata").GetProperty("k").GetString());
    }

    [Fact]
    public async Task GetResponseAsync_RawRepresentationFactory_FieldsWinOverMappedOnes()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress);
        var options = new ChatOptions
        {
            ModelId = "gpt-4o",
            Temperature = 0.9f,
            RawRepresentationFactory = _ => new JsonObject { ["temperature"] = 0.1, ["service_tier"] = "flex" },
        };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options);

        RecordedRequest request = Assert.Single(server.Requests);
        JsonElement body = request.BodyJson();
        Assert.Equal(0.1, body.GetProperty("temperature").GetDouble());
        Assert.Equal("flex", body.GetProperty("service_tier").GetString());
        Assert.Equal(1, CountOccurrences(request.BodyText, "\"temperature\""));
    }

    [Fact]
    public async Task GetResponseAsync_ToolsAndConversation_MapToMessagesAndTools()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress);
        AIFunctionDeclaration weather = AIFunctionFactory.CreateDeclaration(
            "get_weather",
            "Gets the weather",
            JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""").RootElement);
        var options = new ChatOptions
        {
            ModelId = "gpt-4o",
            Tools = [weather],
            ToolMode = ChatToolMode.Auto,
            AllowMultipleToolCalls = false,
            AdditionalProperties = new() { ["strictJsonSchema"] = true },
        };
        ChatMessage[] messages =
        [
            new(ChatRole.User, [
                new TextContent("What is in this image?"),
                new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
                new UriContent("https://example.com/cat.jpg", "image/jpeg"),
            ]) { AuthorName = "alice" },
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "18C")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_2", new Dictionary<string, object?> { ["temp"] = 18 })]),
        ];

        await client.GetResponseAsync(messages, options);

        JsonElement body = Assert.Single(server.Requests).BodyJson();
        JsonElement sent = body.GetProperty("messages");
        Assert.Equal(4, sent.GetArrayLength());
        Assert.Equal(
            """{"role":"user","name":"alice","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AQID"}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}""",
            sent[0].GetRawText());
        Assert.Equal(
            """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}}]}""",
            sent[1].GetRawText());
        Assert.Equal("""{"city":"Paris"}""", sent[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("""{"role":"tool","tool_call_id":"call_1","content":"18C"}""", sent[2].GetRawText());
        Assert.Equal("""{"temp":18}""", sent[3].GetProperty("content").GetString());
        Assert.Equal(
            """[{"type":"function","function":{"name":"get_weather","description":"Gets the weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}}]""",
            body.GetProperty("tools").GetRawText());
        Assert.Equal("auto", body.GetProperty("tool_choice").GetString());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.False(body.TryGetProperty("strictJsonSchema", out _));
    }

    public static TheoryData<string, string> ToolModes => new()
    {
        { "none", "\"none\"" },
        { "auto", "\"auto\"" },
        { "required", "\"required\"" },
        { "specific", """{"type":"function","function":{"name":"get_weather"}}""" },
    };

    [Theory]
    [MemberData(nameof(ToolModes))]
    public async Task GetResponseAsync_ToolMode_MapsToToolChoice(string mode, string expected)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress);
        var options = new ChatOptions
        {
            ModelId = "gpt-4o",
            Tools = [AIFunctionFactory.Create((string city) => "18C", "get_weather")],
            ToolMode = mode switch
            {
                "none" => ChatToolMode.None,
                "auto" => ChatToolMode.Auto,
                "required" => ChatToolMode.RequireAny,
                _ => ChatToolMode.RequireSpecific("get_weather"),
            },
        };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options);

        JsonElement body = Assert.Single(server.Requests).BodyJson();
        Assert.Equal(expected, body.GetProperty("tool_choice").GetRawText());
        Assert.Equal("get_weather", body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.False(body.GetProperty("tools")[0].GetProperty("function").TryGetProperty("strict", out _));
    }

    public static TheoryData<string, string> ResponseFormats => new()
    {
        { "text", """{"type":"text"}""" },
        { "json", """{"type":"json_object"}""" },
        { "schema", """{"type":"json_schema","json_schema":{"name":"Out","description":"The answer","schema":{"type":"object","properties":{"a":{"type":"integer"}}},"strict":true}}""" },
    };

    [Theory]
    [MemberData(nameof(ResponseFormats))]
    public async Task GetResponseAsync_ResponseFormat_MapsToResponseFormatField(string format, string expected)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress);
        var options = new ChatOptions
        {
            ModelId = "gpt-4o",
            ResponseFormat = format switch
            {
                "text" => ChatResponseFormat.Text,
                "json" => ChatResponseFormat.Json,
                _ => ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"integer"}}}""").RootElement, "Out", "The answer"),
            },
            AdditionalProperties = new() { ["strictJsonSchema"] = true },
        };

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options);

        Assert.Equal(expected, Assert.Single(server.Requests).BodyJson().GetProperty("response_format").GetRawText());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Request_AsksForStreamAndUsage()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(Chunk("""{"role":"assistant","content":"Hi"}""", "stop"), UsageChunk, "[DONE]"));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        JsonElement body = Assert.Single(server.Requests).BodyJson();
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.Equal("""{"include_usage":true}""", body.GetProperty("stream_options").GetRawText());
    }

    [Fact]
    public async Task GetResponseAsync_BodyThatFailsHalfWay_IsBadRequest_AndTheNextBodyIsWhole()
    {
        // Bodies are written through kept writers: one that failed mid-way must leave nothing behind for the next.
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress);
        ChatOptions failing = Model();
        failing.AdditionalProperties = new() { ["not_json"] = new NotSerializable() };

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "first")], failing));
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "second")], Model());

        Assert.Equal(ProviderErrorKind.BadRequest, error.Kind);
        RecordedRequest request = Assert.Single(server.Requests);
        JsonElement body = request.BodyJson();
        Assert.Equal("""[{"role":"user","content":"second"}]""", body.GetProperty("messages").GetRawText());
        Assert.False(body.TryGetProperty("not_json", out _));
    }

    [Fact]
    public async Task GetResponseAsync_NoModel_ThrowsBadRequestWithoutCalling()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")]));

        Assert.Equal(ProviderErrorKind.BadRequest, error.Kind);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_OpenAIWithoutKey_ThrowsAuthenticationWithoutCalling()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        string? saved = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        IChatClient client;
        try
        {
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", null);
            client = OpenAIClient(server.BaseAddress, o => o.ApiKey = null);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", saved);
        }

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(ProviderErrorKind.Authentication, error.Kind);
        Assert.Contains("OPENAI_API_KEY", error.Message);
        Assert.Empty(server.Requests);
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>A type the JSON contract cannot write (no serializer metadata for it).</summary>
    private sealed class NotSerializable
    {
        public IntPtr Handle { get; } = IntPtr.Zero;
    }
}
