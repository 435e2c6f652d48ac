using Microsoft.Extensions.AI;
using ModelGateway.Gateway;
using ModelGateway.Routing;

namespace ModelGateway.Tests.Telemetry;

/// <summary>Stands in for the cost observer (another issue): prices every successful attempt at a fixed amount.</summary>
internal sealed class FixedCostObserver(decimal cost) : AttemptObserver
{
    public override void OnAttemptCompleted(GatewayRequestContext context, in AttemptInfo attempt, object? state, in AttemptOutcome outcome)
    {
        if (outcome.Succeeded)
        {
            context.CostUsd = cost;
        }
    }
}

/// <summary>Stands in for the rate-limit, budget or cache stage (other issues): rejects, or answers as a cache hit.</summary>
internal sealed class ScriptedStage(int order, Func<GatewayRequestContext, ChatResponse?> onRequest) : GatewayStage
{
    public override int Order => order;

    public override IChatClient Wrap(IChatClient inner, IServiceProvider services) => new Client(inner, onRequest);

    private sealed class Client(IChatClient inner, Func<GatewayRequestContext, ChatResponse?> onRequest) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            onRequest(GatewayRequestContext.Get(options)!) is { } answer ? Task.FromResult(answer) : base.GetResponseAsync(messages, options, cancellationToken);
    }
}
