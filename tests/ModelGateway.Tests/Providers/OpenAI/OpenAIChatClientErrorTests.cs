using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

public sealed class OpenAIChatClientErrorTests
{
    public static TheoryData<int, string, ProviderErrorKind, string?> ErrorAnswers => new()
    {
        { 400, """{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""", ProviderErrorKind.ContextWindowExceeded, "context_length_exceeded" },
        { 400, """{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400}""", ProviderErrorKind.ContextWindowExceeded, "400" },
        { 400, """{"error":{"message":"Your request was rejected by the safety system.","type":"invalid_request_error","param":null,"code":"content_filter"}}""", ProviderErrorKind.ContentFiltered, "content_filter" },
        { 400, """{"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""", ProviderErrorKind.BadRequest, "invalid_value" },
        { 422, """{"error":{"message":"Unprocessable.","type":"invalid_request_error","param":null,"code":null}}""", ProviderErrorKind.BadRequest, "invalid_request_error" },
        { 401, """{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""", ProviderErrorKind.Authentication, "invalid_api_key" },
        { 403, """{"error":{"message":"Country, region, or territory not supported","type":"request_forbidden","param":null,"code":"unsupported_country_region_territory"}}""", ProviderErrorKind.Authentication, "unsupported_country_region_territory" },
        { 404, """{"error":{"message":"The model 'gpt-9' does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}""", ProviderErrorKind.NotFound, "model_not_found" },
        { 408, "", ProviderErrorKind.Timeout, null },
        { 429, """{"error":{"message":"Rate limit reached for gpt-4o on tokens per min.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""", ProviderErrorKind.RateLimited, "rate_limit_exceeded" },
        { 429, """{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", ProviderErrorKind.RateLimited, "insufficient_quota" },
        { 500, """{"error":{"message":"The server had an error.","type":"server_error","param":null,"code":null}}""", ProviderErrorKind.Unavailable, "server_error" },
        { 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", ProviderErrorKind.Unavailable, null },
        { 503, """{"error":{"message":"The engine is currently overloaded.","type":"server_error","param":null,"code":null}}""", ProviderErrorKind.Unavailable, "server_error" },
        { 504, "", ProviderErrorKind.Unavailable, null },
    };

    [Theory]
    [MemberData(nameof(ErrorAnswers))]
    public async Task GetResponseAsync_ErrorStatus_ClassifiedWithStatusAndCode(int status, string body, ProviderErrorKind kind, string? code)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(body, status));
        using IChatClient client = OpenAIClient(server.BaseAddress, o => o.Name = "primary");

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("gpt-4o")));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(code, error.ProviderErrorCode);
        Assert.Equal("primary", error.Provider);
        Assert.Equal("gpt-4o", error.ProviderModel);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorStatus_ClassifiedBeforeAnyUpdate()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json("""{"error":{"message":"Rate limit","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", 429));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model())));

        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(429, error.StatusCode);
    }

    public static TheoryData<string, string, double> RetryAfterHeaders => new()
    {
        { "retry-after-ms", "1500", 1.5 },
        { "Retry-After", "7", 7 },
        { "Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT", 30 },
        { "x-ratelimit-reset-requests", "6m0s", 360 },
        { "x-ratelimit-reset-tokens", "20ms", 0.02 },
    };

    [Theory]
    [MemberData(nameof(RetryAfterHeaders))]
    public async Task GetResponseAsync_RateLimitedWithWaitHeader_ReadsRetryAfter(string header, string value, double seconds)
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(
            """{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""",
            429,
            response =>
            {
                response.Headers[header] = value;
                if (header.Contains("reset", StringComparison.Ordinal))
                {
                    response.Headers[header.Replace("reset", "remaining", StringComparison.Ordinal)] = "0";
                }
            }));
        using IChatClient client = OpenAIClient(server.BaseAddress, timeProvider: time);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(seconds), error.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_RateLimitedWithBothResets_WaitsForTheExhaustedLimit()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(
            """{"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""",
            429,
            response =>
            {
                response.Headers["x-ratelimit-remaining-requests"] = "499";
                response.Headers["x-ratelimit-reset-requests"] = "120ms";
                response.Headers["x-ratelimit-remaining-tokens"] = "0";
                response.Headers["x-ratelimit-reset-tokens"] = "1m30s";
            }));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(TimeSpan.FromSeconds(90), error.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorEchoesApiKey_MessageNeverContainsIt()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(
            """{"error":{"message":"Incorrect API key provided: """ + Key + """.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""", 401));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(ProviderErrorKind.Authentication, error.Kind);
        Assert.Contains("Incorrect API key provided", error.Message);
        Assert.DoesNotContain(Key, error.Message);
        Assert.DoesNotContain(Key, error.ToString());
    }

    public static TheoryData<string> MalformedBodies => new()
    {
        "<html><body>Welcome to the captive portal</body></html>",
        """{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hel""",
        """{"id":"chatcmpl-1","choices":[]}""",
        "",
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task GetResponseAsync_MalformedBodyOnSuccess_ThrowsInvalidResponse(string body)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(body));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
    }

    [Fact]
    public async Task GetResponseAsync_HtmlBodyOnSuccess_MessageHasShortExcerpt()
    {
        string html = "<html><body>Welcome to the captive portal" + new string('x', 5000) + "</body></html>";
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(html));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Contains("<html><body>Welcome to the captive portal", error.Message);
        Assert.True(error.Message.Length < 600, error.Message);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamCutOffMidEvent_ThrowsInvalidResponse()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: " + Chunk("""{"role":"assistant","content":"Hel"}""") + "\n\n");
            await context.Response.WriteAsync("data: {\"id\":\"chatcmpl-A\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo");
        });
        using IChatClient client = OpenAIClient(server.BaseAddress);
        var texts = new List<string>();

        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(["Hel"], texts);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConnectionAbortedMidStream_ThrowsInvalidResponse()
    {
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: " + Chunk("""{"role":"assistant","content":"Hel"}""") + "\n\ndata: {\"id\":");
            await context.Response.Body.FlushAsync();
            await firstSeen.Task.WaitAsync(context.RequestAborted);
            context.Abort();
        });
        using IChatClient client = OpenAIClient(server.BaseAddress);
        await using IAsyncEnumerator<ChatResponseUpdate> updates = client
            .GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model())
            .GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        firstSeen.SetResult();

        var error = await Assert.ThrowsAsync<ProviderException>(async () => await updates.MoveNextAsync());

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EventIsNotJson_ThrowsInvalidResponseWithExcerpt()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(Chunk("""{"role":"assistant","content":"Hel"}"""), "<html>oops</html>", "[DONE]"));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model())));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("<html>oops</html>", error.Message);
    }

    [Theory]
    [InlineData("""{"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""", ProviderErrorKind.RateLimited)]
    [InlineData("""{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""", ProviderErrorKind.Unavailable)]
    [InlineData("""{"error":"upstream failed"}""", ProviderErrorKind.Unknown)]
    public async Task GetStreamingResponseAsync_ErrorInsideOkStream_ThrowsProviderException(string errorEvent, ProviderErrorKind kind)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(Chunk("""{"role":"assistant","content":"Hel"}"""), errorEvent));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model())));

        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public async Task GetResponseAsync_ServerUnreachable_ThrowsUnavailable()
    {
        Uri address;
        await using (LoopbackServer closed = await LoopbackServer.StartAsync(_ => Task.CompletedTask))
        {
            address = closed.BaseAddress;
        }

        using IChatClient client = OpenAIClient(address);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(ProviderErrorKind.Unavailable, error.Kind);
        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancelsBeforeAnswer_ThrowsOperationCanceled()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using IChatClient client = OpenAIClient(server.BaseAddress);
        using var cancellation = new CancellationTokenSource();

        Task<ChatResponse> call = client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model(), cancellation.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

}
