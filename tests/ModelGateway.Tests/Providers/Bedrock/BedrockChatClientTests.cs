using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers;
using ModelGateway.Providers.Bedrock;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.Bedrock;

public sealed class BedrockChatClientTests
{
    private const string Model = "anthropic.claude-3-haiku-20240307-v1:0";

    private const string TextAnswer = """
        {"output":{"message":{"role":"assistant","content":[{"text":"Hello there"}]}},
         "stopReason":"end_turn",
         "usage":{"inputTokens":12,"outputTokens":3,"totalTokens":15},
         "metrics":{"latencyMs":120}}
        """;

    [Fact]
    public async Task GetResponseAsync_SignedRequest_PassesTheServersSignatureCheckAndMapsTheAnswer()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer), BedrockTestServer.Verifier(time), time);
        using BedrockChatClient client = server.CreateClient();

        ChatResponse response = await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        Assert.Equal([null], server.SignatureVerdicts);
        Assert.Equal("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", server.RawTargets.Single());
        RecordedRequest request = server.Server.Requests.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("20260304T050607Z", request.Header("x-amz-date"));
        Assert.Equal("Hello there", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(Model, response.ModelId);
        Assert.Equal("req-1", response.ResponseId);
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        Assert.Equal(15, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ArnModelId_IsOnePercentEncodedPathSegmentAndSignedAsSent()
    {
        const string arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0";
        var time = new ManualTimeProvider();
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer), BedrockTestServer.Verifier(time), time);
        using BedrockChatClient client = server.CreateClient();

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = arn });

        Assert.Equal("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", server.RawTargets.Single());
        Assert.Equal([null], server.SignatureVerdicts);
    }

    [Fact]
    public async Task GetResponseAsync_SessionToken_IsSentAndSigned()
    {
        var time = new ManualTimeProvider();
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer), BedrockTestServer.Verifier(time), time);
        using BedrockChatClient client = server.CreateClient(o => o.SessionToken = "session-token-value");

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        RecordedRequest request = server.Server.Requests.Single();
        Assert.Equal("session-token-value", request.Header("x-amz-security-token"));
        Assert.Contains("x-amz-security-token", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal([null], server.SignatureVerdicts);
    }

    [Fact]
    public async Task GetResponseAsync_CredentialsProviderHook_SignsEachCallWithWhatItReturns()
    {
        var time = new ManualTimeProvider();
        AwsSignatureVerifier verifier = BedrockTestServer.Verifier(time, "ASIAHOOK", "hook-secret");
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer), verifier, time);
        int calls = 0;
        using BedrockChatClient client = server.CreateClient(o =>
        {
            o.AccessKeyId = null;
            o.SecretAccessKey = null;
            o.AwsCredentialsProvider = _ =>
            {
                Interlocked.Increment(ref calls);
                return ValueTask.FromResult(new AwsCredentials("ASIAHOOK", "hook-secret", "hook-token"));
            };
        });

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });
        await client.GetResponseAsync("Hi again", new ChatOptions { ModelId = Model });

        Assert.Equal(2, calls);
        Assert.Equal([null, null], server.SignatureVerdicts);
        Assert.All(server.Server.Requests, r => Assert.Equal("hook-token", r.Header("x-amz-security-token")));
    }

    [Fact]
    public async Task GetResponseAsync_CredentialsProviderThrows_FailsAsAuthenticationWithoutItsMessage()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        using BedrockChatClient client = server.CreateClient(o => o.AwsCredentialsProvider = _ => throw new InvalidOperationException("secret-in-message"));

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal(ProviderErrorKind.Authentication, error.Kind);
        Assert.DoesNotContain("secret-in-message", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Server.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_ApiKey_SendsBearerTokenAndNoSignature()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        using BedrockChatClient client = server.CreateClient(o =>
        {
            o.AccessKeyId = null;
            o.SecretAccessKey = null;
            o.ApiKey = "bedrock-api-key-123";
        });

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        RecordedRequest request = server.Server.Requests.Single();
        Assert.Equal("Bearer bedrock-api-key-123", request.Header("Authorization"));
        Assert.Null(request.Header("x-amz-date"));
    }

    [Fact]
    public async Task GetResponseAsync_MapsMessagesAndOptionsToTheConverseBody()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        using BedrockChatClient client = server.CreateClient();
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Be terse."),
            new(ChatRole.User, [new TextContent("What is in this picture, and the weather?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
            new(ChatRole.Assistant, [new FunctionCallContent("tooluse_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("tooluse_1", JsonSerializer.SerializeToElement(new { temp = "18C" }))]),
            new(ChatRole.User, "Thanks. Summarise."),
        ];
        var options = new ChatOptions
        {
            ModelId = Model,
            Instructions = "You are a weather bot.",
            MaxOutputTokens = 512,
            Temperature = 0.5f,
            TopP = 0.9f,
            StopSequences = ["END"],
            Tools = [AIFunctionFactory.Create((string city) => city, "get_weather", "Gets the weather")],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AdditionalProperties = new() { ["top_k"] = 40, ["modelgateway.user"] = "u-1" },
        };

        await client.GetResponseAsync(messages, options);

        using JsonDocument body = JsonDocument.Parse(server.Server.Requests.Single().Body);
        JsonElement root = body.RootElement;
        Assert.Equal("""[{"text":"You are a weather bot."},{"text":"Be terse."}]""", root.GetProperty("system").GetRawText());
        JsonElement turns = root.GetProperty("messages");
        Assert.Equal(3, turns.GetArrayLength());
        Assert.Equal("user", turns[0].GetProperty("role").GetString());
        Assert.Equal("What is in this picture, and the weather?", turns[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("""{"format":"png","source":{"bytes":"AQID"}}""", turns[0].GetProperty("content")[1].GetProperty("image").GetRawText());
        Assert.Equal("assistant", turns[1].GetProperty("role").GetString());
        Assert.Equal("""{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}""", turns[1].GetProperty("content")[0].GetProperty("toolUse").GetRawText());
        Assert.Equal("user", turns[2].GetProperty("role").GetString());
        Assert.Equal("""{"toolUseId":"tooluse_1","content":[{"json":{"temp":"18C"}}]}""", turns[2].GetProperty("content")[0].GetProperty("toolResult").GetRawText());
        Assert.Equal("Thanks. Summarise.", turns[2].GetProperty("content")[1].GetProperty("text").GetString());
        Assert.Equal("""{"maxTokens":512,"temperature":0.5,"topP":0.9,"stopSequences":["END"]}""", root.GetProperty("inferenceConfig").GetRawText());
        JsonElement tool = root.GetProperty("toolConfig").GetProperty("tools")[0].GetProperty("toolSpec");
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.Equal("Gets the weather", tool.GetProperty("description").GetString());
        Assert.Equal("string", tool.GetProperty("inputSchema").GetProperty("json").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("""{"tool":{"name":"get_weather"}}""", root.GetProperty("toolConfig").GetProperty("toolChoice").GetRawText());
        Assert.Equal("""{"top_k":40}""", root.GetProperty("additionalModelRequestFields").GetRawText());
    }

    [Theory]
    [InlineData("auto", """{"auto":{}}""")]
    [InlineData("any", """{"any":{}}""")]
    public async Task GetResponseAsync_ToolMode_MapsToToolChoice(string mode, string expected)
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        using BedrockChatClient client = server.CreateClient();
        var options = new ChatOptions
        {
            ModelId = Model,
            Tools = [AIFunctionFactory.Create(() => "x", "now")],
            ToolMode = mode == "auto" ? ChatToolMode.Auto : ChatToolMode.RequireAny,
        };

        await client.GetResponseAsync("Hi", options);

        using JsonDocument body = JsonDocument.Parse(server.Server.Requests.Single().Body);
        Assert.Equal(expected, body.RootElement.GetProperty("toolConfig").GetProperty("toolChoice").GetRawText());
    }

    [Fact]
    public async Task GetResponseAsync_ToolModeNone_SendsNoTools()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        using BedrockChatClient client = server.CreateClient();

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model, Tools = [AIFunctionFactory.Create(() => "x", "now")], ToolMode = ChatToolMode.None });

        using JsonDocument body = JsonDocument.Parse(server.Server.Requests.Single().Body);
        Assert.False(body.RootElement.TryGetProperty("toolConfig", out _));
    }

    [Fact]
    public async Task GetResponseAsync_ToolUseAndCacheUsage_AreMapped()
    {
        const string answer = """
            {"output":{"message":{"role":"assistant","content":[
                {"reasoningContent":{"reasoningText":{"text":"Need weather.","signature":"sig-1"}}},
                {"text":"I'll check."},
                {"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]}},
             "stopReason":"tool_use",
             "usage":{"inputTokens":30,"outputTokens":20,"totalTokens":150,"cacheReadInputTokens":70,"cacheWriteInputTokens":30},
             "metrics":{"latencyMs":812}}
            """;
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, answer));
        using BedrockChatClient client = server.CreateClient();

        ChatResponse response = await client.GetResponseAsync("Weather?", new ChatOptions { ModelId = Model });

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        IList<AIContent> contents = response.Messages.Single().Contents;
        TextReasoningContent reasoning = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal(("Need weather.", "sig-1"), (reasoning.Text, reasoning.ProtectedData));
        Assert.Equal("I'll check.", Assert.IsType<TextContent>(contents[1]).Text);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(contents[2]);
        Assert.Equal(("tooluse_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(130, response.Usage!.InputTokenCount);
        Assert.Equal(70, response.Usage.CachedInputTokenCount);
        Assert.Equal(20, response.Usage.OutputTokenCount);
        Assert.Equal(30, response.Usage.AdditionalCounts![BedrockResponseMapper.CacheWriteInputTokenCountKey]);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("content_filtered", "content_filter")]
    [InlineData("malformed_tool_use", "malformed_tool_use")]
    public async Task GetResponseAsync_StopReason_MapsToFinishReason(string stopReason, string expected)
    {
        string answer = $$$"""{"output":{"message":{"role":"assistant","content":[{"text":"x"}]}},"stopReason":"{{{stopReason}}}","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}""";
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, answer));
        using BedrockChatClient client = server.CreateClient();

        ChatResponse response = await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        Assert.Equal(expected, response.FinishReason!.Value.Value);
    }

    [Fact]
    public async Task GetResponseAsync_NoModelId_FailsAsBadRequestWithoutCallingBedrock()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions()));

        Assert.Equal(ProviderErrorKind.BadRequest, error.Kind);
        Assert.Empty(server.Server.Requests);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"stopReason":"end_turn"}""")]
    [InlineData("null")]
    public async Task GetResponseAsync_MalformedSuccessBody_FailsAsInvalidResponse(string body)
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, body));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
    }

    [Theory]
    [InlineData(429, "ThrottlingException", "Too many requests, please wait before trying again.", ProviderErrorKind.RateLimited)]
    [InlineData(400, "ServiceQuotaExceededException", "Your request exceeds the service quota.", ProviderErrorKind.RateLimited)]
    [InlineData(503, "ServiceUnavailableException", "Bedrock is unable to process your request.", ProviderErrorKind.Unavailable)]
    [InlineData(500, "InternalServerException", "Internal error.", ProviderErrorKind.Unavailable)]
    [InlineData(429, "ModelNotReadyException", "The model is not ready.", ProviderErrorKind.Unavailable)]
    [InlineData(424, "ModelErrorException", "The model failed.", ProviderErrorKind.Unavailable)]
    [InlineData(408, "ModelTimeoutException", "Model has timed out in processing the request.", ProviderErrorKind.Timeout)]
    [InlineData(400, "ValidationException", "Input is too long for requested model.", ProviderErrorKind.ContextWindowExceeded)]
    [InlineData(400, "ValidationException", "prompt is too long: 250000 tokens > 200000 maximum", ProviderErrorKind.ContextWindowExceeded)]
    [InlineData(400, "ValidationException", "Malformed input request: temperature must be <= 1.", ProviderErrorKind.BadRequest)]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.", ProviderErrorKind.Authentication)]
    [InlineData(403, "UnrecognizedClientException", "The security token included in the request is invalid.", ProviderErrorKind.Authentication)]
    [InlineData(404, "ResourceNotFoundException", "Model not found.", ProviderErrorKind.NotFound)]
    public async Task GetResponseAsync_ErrorTypeHeader_IsClassified(int status, string errorType, string message, ProviderErrorKind expected)
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(async ctx =>
        {
            ctx.Response.Headers["x-amzn-ErrorType"] = errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
            await BedrockTestServer.WriteJsonAsync(ctx, JsonSerializer.Serialize(new { message }), status);
        });
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal(expected, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(errorType, error.ProviderErrorCode);
        Assert.Equal("aws", error.Provider);
        Assert.Equal(Model, error.ProviderModel);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorTypeOnlyInBody_IsReadFromTheBody()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx =>
            BedrockTestServer.WriteJsonAsync(ctx, """{"__type":"com.amazon.bedrock#ThrottlingException","Message":"Slow down"}""", 429));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal("ThrottlingException", error.ProviderErrorCode);
        Assert.Contains("Slow down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_HtmlBadGatewayFromAProxy_IsUnavailable()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = 502;
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body>Bad Gateway</body></html>");
        });
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal(ProviderErrorKind.Unavailable, error.Kind);
        Assert.Null(error.ProviderErrorCode);
        Assert.Contains("Bad Gateway", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorBodyEchoingCredentials_IsRedacted()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(
            ctx,
            JsonSerializer.Serialize(new { message = $"bad key {BedrockTestServer.AccessKeyId} secret {BedrockTestServer.SecretAccessKey} token session-token-value" }),
            403));
        using BedrockChatClient client = server.CreateClient(o => o.SessionToken = "session-token-value");

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal(ProviderErrorKind.Authentication, error.Kind);
        Assert.DoesNotContain(BedrockTestServer.AccessKeyId, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(BedrockTestServer.SecretAccessKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("session-token-value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ConnectionRefused_IsUnavailable()
    {
        BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        using BedrockChatClient client = server.CreateClient();
        await server.DisposeAsync();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal(ProviderErrorKind.Unavailable, error.Kind);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceledAndTheServerSeesTheConnectionClose()
    {
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(async ctx =>
        {
            requestArrived.TrySetResult();
            await WaitForAbortAsync(ctx);
        });
        using BedrockChatClient client = server.CreateClient();
        using var cts = new CancellationTokenSource();

        Task<ChatResponse> call = client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model }, cts.Token);
        await requestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await server.Server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Constructor_OnlyAccessKeyIdConfigured_FailsAsMisconfigured()
    {
        var options = new ProviderOptions { Name = "aws", Type = "bedrock", Region = "us-east-1", AccessKeyId = "AKID" };

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new BedrockChatClient(options, new HttpClient(), TimeProvider.System));

        Assert.Contains("SecretAccessKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderTypeRegistry_BedrockType_CreatesAWorkingClientFromServices()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, TextAnswer));
        var services = new ServiceCollection();
        services.AddHttpClient();
        services.AddSingleton<TimeProvider>(server.Time);
        using ServiceProvider provider = services.BuildServiceProvider();
        var registry = new ProviderTypeRegistry();

        using IChatClient client = registry.Create(provider, server.Options());
        ChatResponse response = await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        Assert.Equal("Hello there", response.Text);
        Assert.Equal("aws.bedrock", client.GetService<ChatClientMetadata>()!.ProviderName);
    }

    internal static async Task WaitForAbortAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
