using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelGateway.Gateway;

namespace ModelGateway.Caching;

/// <summary>Registers the response cache.</summary>
internal static class CachingServiceRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<GatewayStage, ResponseCacheStage>());

        // The in-memory cache only when the application registered no IDistributedCache of its own (Redis, SQL Server…);
        // one registered later with Add still wins, as the last registration does.
        services.AddOptions();
        services.TryAddSingleton<IDistributedCache, MemoryDistributedCache>();
    }
}
