using Microsoft.Extensions.AI;

namespace ModelGateway.Gateway;

/// <summary>
/// Composes the pipeline once, at start-up, in the order of <c>ARCHITECTURE.md</c>, outermost first: the gateway's stages
/// (telemetry and logging, rate limits, budgets, cache; see <see cref="GatewayStageOrder"/>), then the application's own
/// middleware, then the router.
/// </summary>
internal static class GatewayPipeline
{
    public static IChatClient Build(IChatClient router, GatewayMiddlewareRegistry middleware, IEnumerable<GatewayStage> stages, IServiceProvider services)
    {
        IChatClient client = router;

        // The first decorator the application added sits outermost of its own.
        List<Func<IChatClient, IServiceProvider, IChatClient>> application = middleware.Application;
        for (int i = application.Count - 1; i >= 0; i--)
        {
            client = application[i](client, services)
                ?? throw new InvalidOperationException($"The middleware added with UseMiddleware (number {i + 1}) returned null.");
        }

        GatewayStage[] ordered = [.. stages];
        Array.Sort(ordered, static (x, y) => y.Order.CompareTo(x.Order)); // innermost (largest order) wraps first
        foreach (GatewayStage stage in ordered)
        {
            client = stage.Wrap(client, services);
        }

        return client;
    }
}
