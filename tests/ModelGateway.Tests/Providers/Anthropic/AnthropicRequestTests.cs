using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Anthropic.AnthropicTestClient;

namespace ModelGateway.Tests.Providers.Anthropic;

public sealed class AnthropicRequestTests
{
    [Fact]
    public async Task GetResponseAsync_SendsHeadersToMessagesEndpoint()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server, o =>
        {
            o.Beta = "prompt-caching-2024-07-31,output-128k-2025-02-19";
            o.Headers["x-custom"] = "yes";
        });

        await client.GetResponseAsync("Hi", Options());

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/messages", request.PathAndQuery);
        Assert.Equal(ApiKey, request.Header("x-api-key"));
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        Assert.Equal("prompt-caching-2024-07-31,output-128k-2025-02-19", request.Header("anthropic-beta"));
        Assert.Equal("yes", request.Header("x-custom"));
        Assert.StartsWith("application/json", request.Header("content-type"));
        Assert.Null(request.Header("authorization"));
    }

    [Fact]
    public async Task GetResponseAsync_ConfiguredApiVersion_ReplacesDefault()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server, o => o.ApiVersion = "2099-01-01");

        await client.GetResponseAsync("Hi", Options());

        Assert.Equal("2099-01-01", Assert.Single(server.Requests).Header("anthropic-version"));
        Assert.Null(server.Requests[0].Header("anthropic-beta"));
    }

    [Fact]
    public async Task GetResponseAsync_NoApiKeyButTokenProvider_SendsBearerToken()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server, o =>
        {
            o.ApiKey = null;
            o.TokenProvider = _ => ValueTask.FromResult("oauth-token-1");
        });

        await client.GetResponseAsync("Hi", Options());

        Assert.Equal("Bearer oauth-token-1", Assert.Single(server.Requests).Header("authorization"));
        Assert.Null(server.Requests[0].Header("x-api-key"));
    }

    [Fact]
    public async Task GetResponseAsync_MapsEveryOption()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        var options = new ChatOptions
        {
            ModelId = "claude-sonnet-4-5",
            Instructions = "You are terse.",
            MaxOutputTokens = 321,
            Temperature = 0.5f,
            TopP = 0.25f,
            TopK = 40,
            StopSequences = ["END", "STOP"],
            Tools = [AIFunctionFactory.Create((string city) => "18C", "get_weather", "Gets the weather.")],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AllowMultipleToolCalls = false,
            AdditionalProperties = new() { ["metadata"] = new Dictionary<string, object?> { ["user_id"] = "u-1" }, ["service_tier"] = "auto" },
        };
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Answer in French."),
            new(ChatRole.User, "Describe"),
            new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png"), new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg")]),
        ];

        await client.GetResponseAsync(messages, options);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","max_tokens":321,
             "system":[{"type":"text","text":"You are terse."},{"type":"text","text":"Answer in French."}],
             "messages":[{"role":"user","content":[
                {"type":"text","text":"Describe"},
                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AQID"}},
                {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}],
             "tools":[{"name":"get_weather","description":"Gets the weather.","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
             "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
             "temperature":0.5,"top_p":0.25,"top_k":40,"stop_sequences":["END","STOP"],
             "metadata":{"user_id":"u-1"},"service_tier":"auto"}
            """, Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task GetResponseAsync_WithoutMaxOutputTokens_SendsDocumentedDefault()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);

        await client.GetResponseAsync("Hi", Options("claude-haiku-4-5"));

        AssertJsonEqual("""
            {"model":"claude-haiku-4-5","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}
            """, Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task GetResponseAsync_AdditionalPropertyNamedLikeAField_ReplacesIt()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        ChatOptions options = Options();
        options.AdditionalProperties = new() { ["max_tokens"] = 99, ["thinking"] = System.Text.Json.JsonDocument.Parse("""{"type":"adaptive"}""").RootElement };
        options.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High };

        await client.GetResponseAsync("Hi", options);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],"max_tokens":99,"thinking":{"type":"adaptive"}}
            """, Assert.Single(server.Requests).BodyText);
    }

    [Theory]
    [InlineData("auto", """{"type":"auto"}""")]
    [InlineData("any", """{"type":"any"}""")]
    [InlineData("none", """{"type":"none"}""")]
    public async Task GetResponseAsync_MapsToolMode(string mode, string expectedToolChoice)
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        ChatOptions options = Options();
        options.Tools = [AIFunctionFactory.Create(() => "x", "noop")];
        options.ToolMode = mode switch { "auto" => ChatToolMode.Auto, "any" => ChatToolMode.RequireAny, _ => ChatToolMode.None };

        await client.GetResponseAsync("Hi", options);

        System.Text.Json.Nodes.JsonNode body = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(server.Requests).BodyText)!;
        AssertJsonEqual(expectedToolChoice, body["tool_choice"]!.ToJsonString());
    }

    [Fact]
    public async Task GetResponseAsync_ReasoningEffort_EnablesThinkingWithBudgetBelowMaxTokens()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        ChatOptions options = Options();
        options.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium };

        await client.GetResponseAsync("Hi", options);

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","max_tokens":8192,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],
             "thinking":{"type":"enabled","budget_tokens":4096}}
            """, Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task GetResponseAsync_JsonSchemaResponseFormat_SendsOutputConfig()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        ChatOptions options = Options();
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement, "Out");

        await client.GetResponseAsync("Hi", options);

        System.Text.Json.Nodes.JsonNode body = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(server.Requests).BodyText)!;
        AssertJsonEqual("""{"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}""", body["output_config"]!.ToJsonString());
    }

    [Fact]
    public async Task GetResponseAsync_MultiTurnWithToolResults_MergesRolesAndReplaysThinking()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        ChatMessage[] messages =
        [
            new(ChatRole.User, "Weather in Paris and Rome?"),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("Two cities, two calls.") { ProtectedData = "sig-1" },
                new TextReasoningContent(string.Empty) { ProtectedData = "redacted-blob" },
                new TextReasoningContent("reasoning from another vendor"),
                new TextContent("I'll check."),
                new FunctionCallContent("toolu_01", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
                new FunctionCallContent("toolu_02", "get_weather", new Dictionary<string, object?> { ["city"] = "Rome", ["days"] = 2 }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_01", "18C")]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_02", new Dictionary<string, object?> { ["temp"] = 21 }) { Exception = new InvalidOperationException("x") }]),
            new(ChatRole.User, "Thanks. Which is warmer?"),
        ];

        await client.GetResponseAsync(messages, Options());

        System.Text.Json.Nodes.JsonNode body = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(server.Requests).BodyText)!;
        AssertJsonEqual("""
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},
             {"role":"assistant","content":[
                {"type":"thinking","thinking":"Two cities, two calls.","signature":"sig-1"},
                {"type":"redacted_thinking","data":"redacted-blob"},
                {"type":"text","text":"I'll check."},
                {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}},
                {"type":"tool_use","id":"toolu_02","name":"get_weather","input":{"city":"Rome","days":2}}]},
             {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"toolu_01","content":"18C"},
                {"type":"tool_result","tool_use_id":"toolu_02","content":"{\"temp\":21}","is_error":true},
                {"type":"text","text":"Thanks. Which is warmer?"}]}]
            """, body["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task GetResponseAsync_WithoutModel_ThrowsBadRequestWithoutCalling()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions()));

        Assert.Equal(ProviderErrorKind.BadRequest, ex.Kind);
        Assert.Empty(server.Requests);
    }
}
