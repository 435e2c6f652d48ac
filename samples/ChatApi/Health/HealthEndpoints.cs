using ModelGateway;

namespace ChatApi.Health;

/// <summary>
/// <c>GET /health</c>: liveness (the process serves HTTP; it calls no provider, so an outage upstream never restarts the
/// pod). <c>GET /health/models</c>: each deployment's live counters from <see cref="IModelGateway.GetDeploymentHealth"/>,
/// for dashboards and on-call.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health");
        endpoints.MapGet("/health/models", static (IModelGateway gateway) =>
        {
            IReadOnlyList<DeploymentHealth> health = gateway.GetDeploymentHealth();
            var deployments = new List<DeploymentHealthView>(health.Count);
            foreach (DeploymentHealth deployment in health)
            {
                deployments.Add(DeploymentHealthView.From(deployment));
            }

            return TypedResults.Ok(new ModelHealthReport { Deployments = deployments });
        });
    }
}
