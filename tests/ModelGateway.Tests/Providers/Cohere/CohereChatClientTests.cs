using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Cohere.CohereTestClient;

namespace ModelGateway.Tests.Providers.Cohere;

public sealed class CohereChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_PostsToV2ChatWithBearerKey()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);

        await client.GetResponseAsync("Hi", Options());

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v2/chat", request.PathAndQuery);
        Assert.Equal("Bearer " + ApiKey, request.Header("authorization"));
        AssertJsonEqual("""{"model":"command-a-03-2025","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}""", request.BodyText);
    }

    [Fact]
    public async Task GetResponseAsync_MapsEveryOption()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        var options = new ChatOptions
        {
            ModelId = "command-a-03-2025",
            Instructions = "You are terse.",
            MaxOutputTokens = 300,
            Temperature = 0.5f,
            TopP = 0.25f,
            TopK = 40,
            Seed = 3,
            FrequencyPenalty = 0.5f,
            PresencePenalty = 0.25f,
            StopSequences = ["END"],
            ResponseFormat = ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonDocument.Parse("""{"type":"object"}""").RootElement, "Out"),
            Tools = [AIFunctionFactory.Create((string city) => "18C", "get_weather", "Gets the weather."), AIFunctionFactory.Create(() => "t", "get_time")],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AdditionalProperties = new() { ["safety_mode"] = "STRICT" },
        };
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Answer in French."),
            new(ChatRole.User, [new TextContent("Describe"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
        ];

        await client.GetResponseAsync(messages, options);

        AssertJsonEqual("""
            {"model":"command-a-03-2025",
             "messages":[{"role":"system","content":"You are terse."},{"role":"system","content":"Answer in French."},
                {"role":"user","content":[{"type":"text","text":"Describe"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AQID"}}]}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Gets the weather.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
             "tool_choice":"REQUIRED",
             "max_tokens":300,"temperature":0.5,"p":0.25,"k":40,"seed":3,"frequency_penalty":0.5,"presence_penalty":0.25,
             "stop_sequences":["END"],"response_format":{"type":"json_object","json_schema":{"type":"object"}},"safety_mode":"STRICT"}
            """, Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task GetResponseAsync_MultiTurnWithToolResults_UsesToolPlanAndToolMessages()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        ChatMessage[] messages =
        [
            new(ChatRole.User, "Weather in Paris?"),
            new(ChatRole.Assistant, [new TextContent("I will look it up."), new FunctionCallContent("get_weather_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("get_weather_1", new Dictionary<string, object?> { ["temp"] = 18 })]),
            new(ChatRole.Assistant, "It is 18C."),
            new(ChatRole.User, "Thanks"),
        ];

        await client.GetResponseAsync(messages, Options());

        AssertJsonEqual("""
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
             {"role":"assistant","tool_plan":"I will look it up.","tool_calls":[{"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"get_weather_1","content":"{\"temp\":18}"},
             {"role":"assistant","content":"It is 18C."},
             {"role":"user","content":[{"type":"text","text":"Thanks"}]}]
            """, System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(server.Requests).BodyText)!["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task GetResponseAsync_PlainAnswer_MapsTextFinishReasonAndUsage()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal("Hello there.", response.Text);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        Assert.Equal("c14c80c3-18eb-4519-9460-6c92edd8cfb4", response.ResponseId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(71, response.Usage!.InputTokenCount);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        Assert.Equal(74, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ToolCallAnswer_MapsPlanAndParsedArguments()
    {
        await using LoopbackServer server = await ServeJsonAsync("""
            {"id":"r2","finish_reason":"TOOL_CALL","message":{"role":"assistant","tool_plan":"I will check the weather.",
              "tool_calls":[{"id":"get_weather_abc","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             "usage":{"billed_units":{"input_tokens":30,"output_tokens":20}}}
            """);
        using IChatClient client = Create(server);

        ChatResponse response = await client.GetResponseAsync("Weather?", Options());

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("I will check the weather.", response.Text);
        FunctionCallContent call = Assert.Single(Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>());
        Assert.Equal("get_weather_abc", call.CallId);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal(30, response.Usage!.InputTokenCount);
    }

    [Theory]
    [InlineData("COMPLETE", "stop")]
    [InlineData("STOP_SEQUENCE", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("TOOL_CALL", "tool_calls")]
    [InlineData("TIMEOUT", "TIMEOUT")]
    public async Task GetResponseAsync_MapsFinishReason(string finishReason, string expected)
    {
        await using LoopbackServer server = await ServeJsonAsync($$$"""{"id":"r","finish_reason":"{{{finishReason}}}","message":{"role":"assistant","content":[]}}""");
        using IChatClient client = Create(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal(new ChatFinishReason(expected), response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Text_YieldsDeltasThenFinishAndUsage()
    {
        await using LoopbackServer server = await ServeSseAsync(
            """{"type":"message-start","id":"m-1","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}""",
            """{"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}""",
            """{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hello"}}}}""",
            """{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":" world"}}}}""",
            """{"type":"content-end","index":0}""",
            """{"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":2},"tokens":{"input_tokens":70,"output_tokens":2}}}}""");
        using IChatClient client = Create(server);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
        {
            updates.Add(update);
        }

        Assert.Equal(["Hello", " world"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("Hello world", response.Text);
        Assert.Equal("m-1", response.ResponseId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(70, response.Usage!.InputTokenCount);
        Assert.Contains("\"stream\":true", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCall_YieldsParsedFunctionCall()
    {
        await using LoopbackServer server = await ServeSseAsync(
            """{"type":"message-start","id":"m-2","delta":{"message":{"role":"assistant"}}}""",
            """{"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will"}}}""",
            """{"type":"tool-plan-delta","delta":{"message":{"tool_plan":" check."}}}""",
            """{"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_nsz5","type":"function","function":{"name":"get_weather","arguments":""}}}}}""",
            """{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\n    \""}}}}}""",
            """{"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"city\": \"Paris\"}"}}}}}""",
            """{"type":"tool-call-end","index":0}""",
            """{"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"tokens":{"input_tokens":80,"output_tokens":20}}}}""");
        using IChatClient client = Create(server);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Weather?", Options()))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("I will check.", response.Text);
        FunctionCallContent call = Assert.Single(Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>());
        Assert.Equal("get_weather_nsz5", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EndsBeforeMessageEnd_ThrowsInvalidResponse()
    {
        await using LoopbackServer server = await ServeSseAsync(
            """{"type":"message-start","id":"m-3","delta":{"message":{"role":"assistant"}}}""",
            """{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hel"}}}}""");
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
    }

    [Theory]
    [InlineData(400, "invalid request: message must not be empty", ProviderErrorKind.BadRequest)]
    [InlineData(400, "too many tokens: total number of tokens in the prompt cannot exceed 128000", ProviderErrorKind.ContextWindowExceeded)]
    [InlineData(401, "invalid api token", ProviderErrorKind.Authentication)]
    [InlineData(404, "model 'x' not found", ProviderErrorKind.NotFound)]
    [InlineData(422, "unprocessable", ProviderErrorKind.BadRequest)]
    [InlineData(429, "You are using a Trial key, which is limited to 10 API calls / minute.", ProviderErrorKind.RateLimited)]
    [InlineData(498, "invalid token", ProviderErrorKind.Authentication)]
    [InlineData(500, "internal server error", ProviderErrorKind.Unavailable)]
    [InlineData(503, "service unavailable", ProviderErrorKind.Unavailable)]
    public async Task GetResponseAsync_ErrorStatus_IsClassified(int status, string message, ProviderErrorKind expected)
    {
        await using LoopbackServer server = await ServeJsonAsync($$"""{"id":"e-1","message":"{{message}}"}""", status);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(expected, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal("co", ex.Provider);
        Assert.Equal("command-a-03-2025", ex.ProviderModel);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"id":"r","message":{"content":[{"type":"text","text":"Hel""")]
    public async Task GetResponseAsync_MalformedOrTruncatedBody_ThrowsInvalidResponse(string body)
    {
        await using LoopbackServer server = await ServeJsonAsync(body);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsEnumerating_ClosesConnection()
    {
        LoopbackServer server = null!;
        server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"first\"}}}}\n\n");
            await context.Response.Body.FlushAsync();
            await server.ClientDisconnected.Task;
        });
        await using (server)
        {
            using IChatClient client = Create(server);

            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
                Assert.Equal("first", update.Text);
                break;
            }

            await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceledAndClosesConnection()
    {
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LoopbackServer server = null!;
        server = await LoopbackServer.StartAsync(async context =>
        {
            requestArrived.TrySetResult();
            await server.ClientDisconnected.Task;
        });
        await using (server)
        {
            using IChatClient client = Create(server);
            using var cts = new CancellationTokenSource();

            Task<ChatResponse> call = client.GetResponseAsync("Hi", Options(), cts.Token);
            await requestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
