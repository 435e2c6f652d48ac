using Microsoft.Extensions.AI;

namespace ModelGateway.Gateway;

/// <summary>
/// Composes the pipeline once, at start-up, in the order of <c>ARCHITECTURE.md</c>, outermost first:
/// telemetry and logging, rate limits, budgets, cache, the application's own middleware, then the router.
/// </summary>
internal static class GatewayPipeline
{
    public static IChatClient Build(IChatClient router, GatewayMiddlewareRegistry middleware, IServiceProvider services)
    {
        IChatClient client = router;

        // The first decorator the application added sits outermost of its own.
        List<Func<IChatClient, IServiceProvider, IChatClient>> application = middleware.Application;
        for (int i = application.Count - 1; i >= 0; i--)
        {
            client = application[i](client, services)
                ?? throw new InvalidOperationException($"The middleware added with UseMiddleware (number {i + 1}) returned null.");
        }

        return client;
    }
}
