using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

public sealed class OpenAICompatibleChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_NoKey_SendsNoAuthorizationAndUsesMaxTokens()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = CreateClient("openai-compatible", new ProviderOptions { BaseUrl = server.BaseAddress + "v1/" });

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { ModelId = "llama3", MaxOutputTokens = 64 });

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.PathAndQuery);
        Assert.Null(request.Header("Authorization"));
        JsonElement body = request.BodyJson();
        Assert.Equal("llama3", body.GetProperty("model").GetString());
        Assert.Equal(64, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal("Hello there", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_KeyAndHeaders_SendsBearerAndHeaders()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        var options = new ProviderOptions { BaseUrl = server.BaseAddress + "v1", ApiKey = "compat-key-123" };
        options.Headers["HTTP-Referer"] = "https://example.com";
        using IChatClient client = CreateClient("openai-compatible", options);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("m"));

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("Bearer compat-key-123", request.Header("Authorization"));
        Assert.Equal("https://example.com", request.Header("HTTP-Referer"));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamOptionsOff_OmitsThemAndStillStreams()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(Chunk("""{"role":"assistant","content":"Hi"}"""), Chunk("{}", "stop"), "[DONE]"));
        using IChatClient client = CreateClient("openai-compatible", new ProviderOptions { BaseUrl = server.BaseAddress + "v1", SendStreamOptions = false });

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("m")));

        JsonElement body = Assert.Single(server.Requests).BodyJson();
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.False(body.TryGetProperty("stream_options", out _));
        Assert.Equal("Hi", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ServerOmitsDoneAfterFinish_CompletesNormally()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(Chunk("""{"role":"assistant","content":"Hi"}"""), Chunk("{}", "stop")));
        using IChatClient client = CreateClient("openai-compatible", new ProviderOptions { BaseUrl = server.BaseAddress + "v1" });

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("m")));

        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Theory]
    [InlineData("max_completion_tokens", "openai-compatible")]
    [InlineData("max_tokens", "openai")]
    public async Task GetResponseAsync_MaxTokensParameter_OverridesTheTypeDefault(string parameter, string type)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        using IChatClient client = CreateClient(type, new ProviderOptions { BaseUrl = server.BaseAddress + "v1", ApiKey = "k-123456", MaxTokensParameter = parameter });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { ModelId = "m", MaxOutputTokens = 10 });

        JsonElement body = Assert.Single(server.Requests).BodyJson();
        Assert.Equal(10, body.GetProperty(parameter).GetInt32());
        Assert.Equal(1, body.EnumerateObject().Count(p => p.Name.StartsWith("max_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetResponseAsync_ReasoningContent_BecomesReasoningContent()
    {
        const string body = """{"id":"x","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"Think.","content":"Answer."},"finish_reason":"stop"}]}""";
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(body));
        using IChatClient client = CreateClient("deepseek", new ProviderOptions { BaseUrl = server.BaseAddress.ToString(), ApiKey = "k-123456" });

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("deepseek-reasoner"));

        Assert.Equal("Think.", Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>()).Text);
        Assert.Equal("Answer.", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_PresetReadsItsKeyVariable()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion()));
        string? saved = Environment.GetEnvironmentVariable("GROQ_API_KEY");
        IChatClient client;
        try
        {
            Environment.SetEnvironmentVariable("GROQ_API_KEY", "gsk-from-environment");
            client = CreateClient("groq", new ProviderOptions { BaseUrl = server.BaseAddress + "openai/v1" });
        }
        finally
        {
            Environment.SetEnvironmentVariable("GROQ_API_KEY", saved);
        }

        using (client)
        {
            await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model("llama-3.3-70b-versatile"));
        }

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.PathAndQuery);
        Assert.Equal("Bearer gsk-from-environment", request.Header("Authorization"));
    }

    [Theory]
    [InlineData("openai", "https://api.openai.com/v1")]
    [InlineData("groq", "https://api.groq.com/openai/v1")]
    [InlineData("mistral", "https://api.mistral.ai/v1")]
    [InlineData("deepseek", "https://api.deepseek.com")]
    [InlineData("together", "https://api.together.ai/v1")]
    [InlineData("fireworks", "https://api.fireworks.ai/inference/v1")]
    [InlineData("openrouter", "https://openrouter.ai/api/v1")]
    [InlineData("xai", "https://api.x.ai/v1")]
    [InlineData("perplexity", "https://api.perplexity.ai")]
    [InlineData("ollama", "http://localhost:11434/v1")]
    [InlineData("vllm", "http://localhost:8000/v1")]
    [InlineData("lmstudio", "http://localhost:1234/v1")]
    [InlineData("huggingface", "https://router.huggingface.co/v1")]
    public void Create_Preset_DefaultsToTheVendorBaseUrl(string type, string baseUrl)
    {
        using IChatClient client = CreateClient(type, new ProviderOptions { ApiKey = "k-123456" });

        ChatClientMetadata metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));

        Assert.Equal(new Uri(baseUrl), metadata.ProviderUri);
    }

    [Fact]
    public void Create_CompatibleWithoutBaseUrl_FailsAtStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CreateClient("openai-compatible", new ProviderOptions { Name = "local" }));

        Assert.Contains("BaseUrl", error.Message);
    }
}
