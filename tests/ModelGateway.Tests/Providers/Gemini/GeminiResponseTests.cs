using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Gemini.GeminiTestClient;

namespace ModelGateway.Tests.Providers.Gemini;

public sealed class GeminiResponseTests
{
    [Fact]
    public async Task GetResponseAsync_PlainAnswer_MapsTextFinishReasonAndUsage()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateGemini(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal("Hello there.", response.Text);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        Assert.Equal("resp-1", response.ResponseId);
        Assert.Equal("gemini-2.5-flash", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(5, response.Usage!.InputTokenCount);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        Assert.Equal(8, response.Usage.TotalTokenCount);
        Assert.Null(response.Usage.CachedInputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_CachedThoughtsAndToolPrompt_AreNormalised()
    {
        await using LoopbackServer server = await ServeJsonAsync("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"ok"}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":1000,"cachedContentTokenCount":800,"candidatesTokenCount":20,"thoughtsTokenCount":30,"toolUsePromptTokenCount":5,"totalTokenCount":1055}}
            """);
        using IChatClient client = CreateGemini(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal(1005, response.Usage!.InputTokenCount);
        Assert.Equal(800, response.Usage.CachedInputTokenCount);
        Assert.Equal(50, response.Usage.OutputTokenCount);
        Assert.Equal(30, response.Usage.ReasoningTokenCount);
        Assert.Equal(1055, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_FunctionCalls_AreToolCallsWithParsedArgumentsAndSignatures()
    {
        await using LoopbackServer server = await ServeJsonAsync("""
            {"candidates":[{"content":{"role":"model","parts":[
                {"text":"Planning the calls.","thought":true},
                {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"Cr8B"},
                {"functionCall":{"id":"fc-2","name":"get_weather","args":{"city":"Rome"}}}]},"finishReason":"STOP","index":0}]}
            """);
        using IChatClient client = CreateGemini(server);

        ChatResponse response = await client.GetResponseAsync("Weather?", Options());

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        IList<AIContent> contents = Assert.Single(response.Messages).Contents;
        Assert.Equal("Planning the calls.", Assert.IsType<TextReasoningContent>(contents[0]).Text);
        var first = Assert.IsType<FunctionCallContent>(contents[1]);
        Assert.Equal("get_weather", first.Name);
        Assert.Equal("Paris", first.Arguments!["city"]!.ToString());
        Assert.False(string.IsNullOrEmpty(first.CallId));
        Assert.Equal("Cr8B", first.AdditionalProperties!["thoughtSignature"]);
        var second = Assert.IsType<FunctionCallContent>(contents[2]);
        Assert.Equal("fc-2", second.CallId);
        Assert.NotEqual(first.CallId, second.CallId);
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("MALFORMED_FUNCTION_CALL", "MALFORMED_FUNCTION_CALL")]
    public async Task GetResponseAsync_MapsFinishReason(string finishReason, string expected)
    {
        await using LoopbackServer server = await ServeJsonAsync($$$"""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"{{{finishReason}}}"}]}
            """);
        using IChatClient client = CreateGemini(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal(new ChatFinishReason(expected), response.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_PromptBlocked_ThrowsContentFiltered()
    {
        await using LoopbackServer server = await ServeJsonAsync("""
            {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH"}]},
             "usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}
            """);
        using IChatClient client = CreateGemini(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.ContentFiltered, ex.Kind);
        Assert.Equal("SAFETY", ex.ProviderErrorCode);
        Assert.Equal("gem", ex.Provider);
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", "Invalid JSON payload received.", null, ProviderErrorKind.BadRequest)]
    [InlineData(400, "INVALID_ARGUMENT", "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).", null, ProviderErrorKind.ContextWindowExceeded)]
    [InlineData(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID", ProviderErrorKind.Authentication)]
    [InlineData(400, "FAILED_PRECONDITION", "User location is not supported for the API use.", null, ProviderErrorKind.BadRequest)]
    [InlineData(403, "PERMISSION_DENIED", "denied", null, ProviderErrorKind.Authentication)]
    [InlineData(404, "NOT_FOUND", "models/gemini-9 is not found", null, ProviderErrorKind.NotFound)]
    [InlineData(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota", null, ProviderErrorKind.RateLimited)]
    [InlineData(500, "INTERNAL", "An internal error has occurred.", null, ProviderErrorKind.Unavailable)]
    [InlineData(503, "UNAVAILABLE", "The model is overloaded.", null, ProviderErrorKind.Unavailable)]
    [InlineData(504, "DEADLINE_EXCEEDED", "Deadline exceeded.", null, ProviderErrorKind.Unavailable)]
    public async Task GetResponseAsync_ErrorStatus_IsClassified(int status, string code, string message, string? reason, ProviderErrorKind expected)
    {
        string details = reason is null ? "[]" : $$"""[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"{{reason}}","domain":"googleapis.com"}]""";
        await using LoopbackServer server = await ServeJsonAsync($$$"""{"error":{"code":{{{status}}},"message":"{{{message}}}","status":"{{{code}}}","details":{{{details}}}}}""", status);
        using IChatClient client = CreateGemini(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(expected, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(code, ex.ProviderErrorCode);
        Assert.Equal("gemini-2.5-flash", ex.ProviderModel);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_QuotaErrorWithRetryInfo_ReportsRetryDelay()
    {
        await using LoopbackServer server = await ServeJsonAsync("""
            {"error":{"code":429,"message":"You exceeded your current quota","status":"RESOURCE_EXHAUSTED",
              "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"m"}]},
                         {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"21s"}]}}
            """, 429);
        using IChatClient client = CreateGemini(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(21), ex.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorEchoesApiKey_MessageHasNoSecret()
    {
        await using LoopbackServer server = await ServeJsonAsync($$$"""{"error":{"code":400,"message":"API key {{{ApiKey}}} not valid","status":"INVALID_ARGUMENT"}}""", 400);
        using IChatClient client = CreateGemini(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.DoesNotContain(ApiKey, ex.Message);
    }

    [Theory]
    [InlineData("<html>oops</html>")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"Hel""")]
    public async Task GetResponseAsync_MalformedOrTruncatedBody_ThrowsInvalidResponse(string body)
    {
        await using LoopbackServer server = await ServeJsonAsync(body);
        using IChatClient client = CreateGemini(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
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
            using IChatClient client = CreateGemini(server);
            using var cts = new CancellationTokenSource();

            Task<ChatResponse> call = client.GetResponseAsync("Hi", Options(), cts.Token);
            await requestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
