using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

public sealed class AzureOpenAIChatClientTests
{
    private const string AzureKey = "azure-key-0123456789";

    [Fact]
    public async Task GetResponseAsync_DatedApiVersion_UsesDeploymentUrlAndApiKeyHeader()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = Azure(server.BaseAddress, o => o.ApiVersion = "2024-10-21");

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("my-gpt4o"));

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21", request.PathAndQuery);
        Assert.Equal(AzureKey, request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.False(request.BodyJson().TryGetProperty("model", out _));
        Assert.Equal("Hello there", response.Text);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("v1", "")]
    [InlineData(null, "openai/v1/")]
    public async Task GetResponseAsync_V1Route_SendsModelInBody(string? apiVersion, string endpointPath)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = Azure(server.BaseAddress, o =>
        {
            o.ApiVersion = apiVersion;
            o.Endpoint = server.BaseAddress + endpointPath;
        });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("my-gpt4o"));

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.PathAndQuery);
        Assert.Equal("my-gpt4o", request.BodyJson().GetProperty("model").GetString());
        Assert.Equal(AzureKey, request.Header("api-key"));
    }

    [Fact]
    public async Task GetResponseAsync_TokenProvider_SendsFreshBearerTokenPerCall()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        int calls = 0;
        using IChatClient client = Azure(server.BaseAddress, o =>
        {
            o.ApiKey = null;
            o.TokenProvider = _ => ValueTask.FromResult("entra-token-" + Interlocked.Increment(ref calls));
        });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep"));
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep"));

        Assert.Equal(["Bearer entra-token-1", "Bearer entra-token-2"], server.Requests.Select(r => r.Header("Authorization")));
        Assert.All(server.Requests, r => Assert.Null(r.Header("api-key")));
    }

    [Fact]
    public async Task GetResponseAsync_StaticAccessToken_SendsBearer()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = Azure(server.BaseAddress, o =>
        {
            o.ApiKey = null;
            o.AccessToken = "static-entra-token";
        });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep"));

        Assert.Equal("Bearer static-entra-token", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task GetResponseAsync_TokenProviderFails_ThrowsAuthenticationWithoutCalling()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = Azure(server.BaseAddress, o =>
        {
            o.ApiKey = null;
            o.TokenProvider = _ => throw new InvalidOperationException("no credential");
        });

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep")));

        Assert.Equal(ProviderErrorKind.Authentication, error.Kind);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("innererror", "content_filter_result")]
    [InlineData("inner_error", "content_filter_results")]
    public async Task GetResponseAsync_PromptBlockedByContentFilter_ThrowsContentFiltered(string innerName, string resultsName)
    {
        string body = """{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"""
            + "\"" + innerName + "\":{\"code\":\"ResponsibleAIPolicyViolation\",\"" + resultsName + "\":"
            + """{"hate":{"filtered":false,"severity":"safe"},"sexual":{"filtered":true,"severity":"high"}}}}}""";
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(body, 400));
        using IChatClient client = Azure(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep")));

        Assert.Equal(ProviderErrorKind.ContentFiltered, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("content_filter", error.ProviderErrorCode);
    }

    [Fact]
    public async Task GetResponseAsync_InnerErrorCodeOnly_ThrowsContentFiltered()
    {
        const string body = """{"error":{"message":"Filtered.","type":null,"param":"prompt","code":null,"innererror":{"code":"ResponsibleAIPolicyViolation"}}}""";
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(body, 400));
        using IChatClient client = Azure(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep")));

        Assert.Equal(ProviderErrorKind.ContentFiltered, error.Kind);
        Assert.Equal("ResponsibleAIPolicyViolation", error.ProviderErrorCode);
    }

    [Fact]
    public async Task GetResponseAsync_ContentFilterFinishReason_ThrowsContentFiltered()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion("", "content_filter")));
        using IChatClient client = Azure(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep")));

        Assert.Equal(ProviderErrorKind.ContentFiltered, error.Kind);
        Assert.Equal("content_filter", error.ProviderErrorCode);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ContentFilterFinishReason_ThrowsContentFiltered()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(Chunk("""{"role":"assistant","content":"Once"}"""), Chunk("{}", "content_filter"), "[DONE]"));
        using IChatClient client = Azure(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep"))));

        Assert.Equal(ProviderErrorKind.ContentFiltered, error.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FirstChunkHasNoChoices_SkipsItAndStreamsTheAnswer()
    {
        const string promptFilterChunk = """{"id":"","object":"","created":0,"model":"","choices":[],"prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}""";
        const string filteredChunk = """{"id":"chatcmpl-A","object":"chat.completion.chunk","created":1727346178,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null,"content_filter_results":{}}]}""";
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(promptFilterChunk, filteredChunk, Chunk("{}", "stop"), UsageChunk, "[DONE]"));
        using IChatClient client = Azure(server.BaseAddress);

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("dep")));

        Assert.Equal("Hi", updates.ToChatResponse().Text);
        Assert.All(updates, u => Assert.Equal("chatcmpl-A", u.ResponseId));
        Assert.Equal(209, updates.ToChatResponse().Usage?.TotalTokenCount);
        Assert.Equal("""{"include_usage":true}""", Assert.Single(server.Requests).BodyJson().GetProperty("stream_options").GetRawText());
    }

    [Fact]
    public async Task GetResponseAsync_DeploymentNotFound_ThrowsNotFound()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(
            """{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}""", 404));
        using IChatClient client = Azure(server.BaseAddress, o => o.ApiVersion = "2024-10-21");

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("missing")));

        Assert.Equal(ProviderErrorKind.NotFound, error.Kind);
        Assert.Equal("DeploymentNotFound", error.ProviderErrorCode);
    }

    [Fact]
    public void Create_WithoutEndpoint_FailsAtStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CreateClient("azure-openai", new ProviderOptions { Name = "azure", ApiKey = AzureKey }));

        Assert.Contains("Endpoint", error.Message);
    }

    private static IChatClient Azure(Uri baseAddress, Action<ProviderOptions>? configure = null)
    {
        var options = new ProviderOptions { ApiKey = AzureKey, Endpoint = baseAddress.ToString() };
        configure?.Invoke(options);
        return CreateClient("azure-openai", options);
    }
}
