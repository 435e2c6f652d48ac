using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.DependencyInjection;

/// <summary>
/// The HTTP shape of the gateway's own client (AddModelGateway's named client, over a real socket): what keeps a call's
/// added latency at one round trip on a warm connection.
/// </summary>
public sealed class GatewayHttpClientTests
{
    [Fact]
    public async Task GetResponseAsync_SequentialCalls_ReuseOneConnectionAndSendContentLengthWithoutExpectContinue()
    {
        var connections = new ConcurrentQueue<string>();
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            connections.Enqueue(context.Connection.Id);
            await Json(Completion())(context);
        });
        using TestGateway gateway = TestGateway.Create(Config(server.BaseAddress), fakes: false);

        for (int i = 0; i < 5; i++)
        {
            ChatResponse response = await gateway.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi " + i)]);
            Assert.Equal("Hello there", response.Text);
        }

        Assert.Equal(5, server.Requests.Count);
        Assert.Single(connections.Distinct());
        Assert.All(server.Requests, request =>
        {
            Assert.Equal(request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
            Assert.Null(request.Header("Transfer-Encoding"));
            Assert.Null(request.Header("Expect"));
        });
    }

    private static string Config(Uri server) => $$"""
        {
          "ModelGateway": {
            "DefaultModel": "chat",
            "Providers": { "openai": { "Type": "openai", "BaseUrl": "{{server}}v1", "ApiKey": "{{Key}}" } },
            "Models": { "chat": { "Deployments": [ { "Provider": "openai", "Model": "gpt-4o" } ] } },
            "Cache": { "Enabled": false }
          }
        }
        """;
}
