using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

/// <summary>One configuration, routed through the gateway to real OpenAI-shaped providers on loopback.</summary>
public sealed class OpenAIGatewayTests
{
    [Fact]
    public async Task GetResponseAsync_AzureRateLimited_FallsOverToOpenAIAndSendsNoGatewayKeys()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(RateLimitAzureAnswerOpenAI);
        using TestGateway gateway = TestGateway.Create(Config(server.BaseAddress), fakes: false);

        ChatResponse response = await gateway.Client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Hi")],
            new ChatOptions { ModelId = "chat" }.WithUser("u-123").WithFeature("web_chat"));

        Assert.Equal("Hello there", response.Text);
        Assert.Equal(79, response.Usage?.InputTokenCount);
        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Equal(("openai", "gpt-4o"), (info.Provider!, info.ProviderModel!));
        Assert.Equal(2, info.Attempts.Count);
        Assert.Equal(("azure", ProviderErrorKind.RateLimited, (int?)429), (info.Attempts[0].Provider, info.Attempts[0].ErrorKind!.Value, info.Attempts[0].StatusCode));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21", server.Requests[0].PathAndQuery);
        Assert.Equal("/v1/chat/completions", server.Requests[1].PathAndQuery);
        Assert.All(server.Requests, r => Assert.DoesNotContain("modelgateway", r.BodyText, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Be brief.", server.Requests[1].BodyJson().GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ThroughTheGateway_StreamsTextUsageAndGatewayInfo()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(
            Chunk("""{"role":"assistant","content":"Hel"}"""),
            Chunk("""{"content":"lo"}"""),
            Chunk("{}", "stop"),
            UsageChunk,
            "[DONE]"));
        using TestGateway gateway = TestGateway.Create(Config(server.BaseAddress), fakes: false);

        List<ChatResponseUpdate> updates = await CollectAsync(gateway.Client.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { ModelId = "direct" }));

        ChatResponse combined = updates.ToChatResponse();
        Assert.Equal("Hello", combined.Text);
        Assert.Equal(209, combined.Usage?.TotalTokenCount);
        Assert.Equal("openai", combined.GetGatewayInfo()?.Provider);
        Assert.Equal("gpt-4o", Assert.Single(server.Requests).BodyJson().GetProperty("model").GetString());
    }

    private static async Task RateLimitAzureAnswerOpenAI(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/openai", StringComparison.Ordinal))
        {
            await Json("""{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded token rate limit."}}""", 429)(context);
            return;
        }

        await Json(Completion())(context);
    }

    private static string Config(Uri server) => $$"""
        {
          "ModelGateway": {
            "Providers": {
              "azure": { "Type": "azure-openai", "Endpoint": "{{server}}", "ApiVersion": "2024-10-21", "ApiKey": "azure-key-123456" },
              "openai": { "Type": "openai", "BaseUrl": "{{server}}v1", "ApiKey": "{{Key}}" }
            },
            "Models": {
              "chat": {
                "Routing": "Priority",
                "Deployments": [ { "Provider": "azure", "Model": "my-gpt4o" }, { "Provider": "openai", "Model": "gpt-4o" } ],
                "Defaults": { "SystemPrompt": "Be brief." }
              },
              "direct": { "Deployments": [ { "Provider": "openai", "Model": "gpt-4o" } ] }
            },
            {{TestGateway.NoDelays}}
          }
        }
        """;
}
