using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Anthropic.AnthropicTestClient;

namespace ModelGateway.Tests.Providers.Anthropic;

public sealed class AnthropicErrorTests
{
    [Theory]
    [InlineData(400, "invalid_request_error", "messages: roles must alternate", ProviderErrorKind.BadRequest)]
    [InlineData(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", ProviderErrorKind.ContextWindowExceeded)]
    [InlineData(401, "authentication_error", "invalid x-api-key", ProviderErrorKind.Authentication)]
    [InlineData(403, "permission_error", "not allowed", ProviderErrorKind.Authentication)]
    [InlineData(404, "not_found_error", "model: claude-nope", ProviderErrorKind.NotFound)]
    [InlineData(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", ProviderErrorKind.BadRequest)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", ProviderErrorKind.RateLimited)]
    [InlineData(500, "api_error", "Internal server error", ProviderErrorKind.Unavailable)]
    [InlineData(529, "overloaded_error", "Overloaded", ProviderErrorKind.Unavailable)]
    [InlineData(402, "billing_error", "Your credit balance is too low", ProviderErrorKind.Authentication)]
    public async Task GetResponseAsync_ErrorStatus_IsClassified(int status, string type, string message, ProviderErrorKind expected)
    {
        await using LoopbackServer server = await ServeJsonAsync($$"""{"type":"error","error":{"type":"{{type}}","message":"{{message}}"},"request_id":"req_011C"}""", status);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(expected, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(type, ex.ProviderErrorCode);
        Assert.Equal("claude", ex.Provider);
        Assert.Equal("claude-sonnet-4-5", ex.ProviderModel);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_HtmlBadGateway_IsUnavailable()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>");
        });
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal(502, ex.StatusCode);
        Assert.Null(ex.ProviderErrorCode);
        Assert.Contains("502 Bad Gateway", ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_RateLimitedWithRetryAfter_ReportsIt()
    {
        await using LoopbackServer server = await ServeJsonAsync(
            """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""", 429, r => r.Headers["retry-after"] = "12");
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(TimeSpan.FromSeconds(12), ex.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_RateLimitedWithoutRetryAfter_WaitsForExhaustedLimitReset()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero));
        await using LoopbackServer server = await ServeJsonAsync(
            """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""",
            429,
            r =>
            {
                r.Headers["anthropic-ratelimit-requests-remaining"] = "12";
                r.Headers["anthropic-ratelimit-requests-reset"] = "2026-01-02T03:04:05Z";
                r.Headers["anthropic-ratelimit-tokens-remaining"] = "0";
                r.Headers["anthropic-ratelimit-tokens-reset"] = "2026-01-02T03:04:30Z";
            });
        using IChatClient client = Create(server, timeProvider: time);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorEchoesApiKey_MessageHasNoSecret()
    {
        await using LoopbackServer server = await ServeJsonAsync(
            $$$"""{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key {{{ApiKey}}}"}}""", 401);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.DoesNotContain(ApiKey, ex.Message);
        Assert.Contains("invalid x-api-key", ex.Message);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"id":"msg_01","type":"message","content":[{"type":"text","text":"Hel""")]
    [InlineData("")]
    public async Task GetResponseAsync_MalformedOrTruncatedBody_ThrowsInvalidResponse(string body)
    {
        await using LoopbackServer server = await ServeJsonAsync(body);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(200, ex.StatusCode);
    }

    [Fact]
    public async Task GetResponseAsync_ConnectionRefused_ThrowsUnavailable()
    {
        LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);
        await server.DisposeAsync();

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.Unavailable, ex.Kind);
        Assert.Null(ex.StatusCode);
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
