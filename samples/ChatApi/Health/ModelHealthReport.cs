using System.Text.Json.Serialization;

namespace ChatApi.Health;

/// <summary>The body of <c>GET /health/models</c>.</summary>
internal sealed class ModelHealthReport
{
    [JsonPropertyName("deployments")]
    public required List<DeploymentHealthView> Deployments { get; init; }
}
