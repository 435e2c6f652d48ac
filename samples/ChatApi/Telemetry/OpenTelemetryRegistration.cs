using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatApi.Telemetry;

/// <summary>
/// Exports the gateway's traces and metrics (the <c>ModelGateway</c> <see cref="System.Diagnostics.ActivitySource"/> and
/// <see cref="System.Diagnostics.Metrics.Meter"/>) and ASP.NET Core's own over OTLP, when an endpoint is configured
/// (<c>OpenTelemetry:OtlpEndpoint</c>, or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
/// </summary>
/// <remarks>
/// <c>OpenTelemetry.Extensions.Hosting</c> (the usual <c>AddOpenTelemetry()</c>) is not on this repository's package
/// mirror, so the providers are built with the core SDK's <see cref="Sdk"/> builders, registered as singletons (disposed,
/// and so flushed, with the app) and created at start-up by a hosted service so they listen from the first request.
/// </remarks>
internal static class OpenTelemetryRegistration
{
    /// <summary>The name of the gateway's <c>ActivitySource</c> and <c>Meter</c>.</summary>
    public const string GatewaySource = "ModelGateway";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        string? endpoint = configuration["OpenTelemetry:OtlpEndpoint"];
        bool fromEnvironment = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (string.IsNullOrEmpty(endpoint) && !fromEnvironment)
        {
            return; // nothing to export to: do not pay for recording spans nobody receives
        }

        string serviceName = configuration["OpenTelemetry:ServiceName"] ?? "ChatApi";
        bool httpProtobuf = string.Equals(configuration["OpenTelemetry:OtlpProtocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase);

        void Exporter(OtlpExporterOptions options, string signalPath)
        {
            if (!string.IsNullOrEmpty(endpoint))
            {
                // An endpoint set in code is used as is: over HTTP it must include the signal's path.
                options.Endpoint = new Uri(httpProtobuf ? endpoint.TrimEnd('/') + signalPath : endpoint);
            }

            if (httpProtobuf)
            {
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
            }
        }

        services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
            .AddSource(GatewaySource)
            .AddSource("Microsoft.AspNetCore", "System.Net.Http") // the server span, and each provider call's HTTP span
            .AddOtlpExporter(options => Exporter(options, "/v1/traces"))
            .Build());
        services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
            .AddMeter(GatewaySource)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http")
            .AddOtlpExporter(options => Exporter(options, "/v1/metrics"))
            .Build());
        services.AddHostedService<OpenTelemetryStarter>();
    }

    /// <summary>Creates the providers when the host starts, so they exist before the first request.</summary>
    private sealed class OpenTelemetryStarter(TracerProvider tracing, MeterProvider metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = tracing;
            _ = metrics;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
