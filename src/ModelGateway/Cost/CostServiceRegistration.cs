using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ModelGateway.Gateway;
using ModelGateway.Governance;
using ModelGateway.Routing;

namespace ModelGateway.Cost;

/// <summary>Registers cost tagging, the spend store, budgets and rate limits.</summary>
internal static class CostServiceRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<BuiltInPriceTable>();
        services.TryAddSingleton<ModelPriceResolver>();

        // An application's own store (registered before or after AddModelGateway) replaces the in-memory default.
        services.TryAddSingleton<ISpendStore>(static sp => new InMemorySpendStore(sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<GatewayBudgets>();
        services.TryAddSingleton<GatewayRateLimits>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<AttemptObserver, CostObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<GatewayStage, RateLimitStage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<GatewayStage, BudgetStage>());
    }
}
