using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Gateway;

public class GatewayPipelineTests
{
    [Fact]
    public async Task Stages_WrapOutsideTheApplicationMiddleware_InOrder()
    {
        var seen = new List<string>();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """, configure: b =>
            {
                // Registered out of order on purpose: the pipeline sorts by Order.
                b.Services.AddSingleton<GatewayStage>(new NamedStage(GatewayStageOrder.Cache, "cache", seen));
                b.Services.AddSingleton<GatewayStage>(new NamedStage(GatewayStageOrder.Telemetry, "telemetry", seen));
                b.Services.AddSingleton<GatewayStage>(new NamedStage(GatewayStageOrder.Budgets, "budgets", seen));
                b.Services.AddSingleton<GatewayStage>(new NamedStage(GatewayStageOrder.RateLimits, "rate-limits", seen));
                b.UseMiddleware((inner, _) => new Named(inner, "app", seen));
            });

        await gateway.Client.GetResponseAsync("hi");

        Assert.Equal(["telemetry", "rate-limits", "budgets", "cache", "app"], seen);
    }

    private sealed class NamedStage(int order, string name, List<string> seen) : GatewayStage
    {
        public override int Order => order;

        public override IChatClient Wrap(IChatClient inner, IServiceProvider services) => new Named(inner, name, seen);
    }

    private sealed class Named(IChatClient inner, string name, List<string> seen) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Assert.NotNull(GatewayRequestContext.Get(options));
            seen.Add(name);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
