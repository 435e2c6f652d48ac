using System.Text.Json.Serialization;
using ModelGateway;

namespace ChatApi.Health;

/// <summary>One deployment in <c>GET /health/models</c>.</summary>
internal sealed class DeploymentHealthView
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("provider")]
    public required string Provider { get; init; }

    [JsonPropertyName("provider_model")]
    public required string ProviderModel { get; init; }

    [JsonPropertyName("in_flight")]
    public long InFlight { get; init; }

    [JsonPropertyName("requests")]
    public long Requests { get; init; }

    [JsonPropertyName("failures")]
    public long Failures { get; init; }

    [JsonPropertyName("last_failure_kind")]
    public string? LastFailureKind { get; init; }

    [JsonPropertyName("last_failure_at")]
    public DateTimeOffset? LastFailureAt { get; init; }

    public static DeploymentHealthView From(DeploymentHealth health) => new()
    {
        Model = health.Model,
        Provider = health.Provider,
        ProviderModel = health.ProviderModel,
        InFlight = health.InFlight,
        Requests = health.Requests,
        Failures = health.Failures,
        LastFailureKind = health.LastFailureKind?.ToString(),
        LastFailureAt = health.LastFailureAt,
    };
}
