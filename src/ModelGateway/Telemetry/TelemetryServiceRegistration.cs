using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelGateway.Gateway;
using ModelGateway.Routing;

namespace ModelGateway.Telemetry;

/// <summary>Registers the gateway's traces, metrics and logs.</summary>
internal static class TelemetryServiceRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton(static sp => new GatewayTelemetry(
            sp.GetRequiredService<IOptions<ModelGatewayOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<GatewayStage, TelemetryStage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<AttemptObserver, TelemetryAttemptObserver>());
    }
}
