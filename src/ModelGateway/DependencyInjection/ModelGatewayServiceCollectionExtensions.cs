using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelGateway;
using ModelGateway.Caching;
using ModelGateway.Configuration;
using ModelGateway.Cost;
using ModelGateway.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Providers;
using ModelGateway.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ModelGateway in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// After registration, resolve <see cref="IChatClient"/> for the gateway (<see cref="ChatOptions.ModelId"/> names an alias;
/// <see langword="null"/> means <see cref="ModelGatewayOptions.DefaultModel"/>), a keyed <see cref="IChatClient"/> whose key is an
/// alias for a client pinned to it, or <see cref="IModelGateway"/>. Configuration is validated when the host starts, or on
/// first resolve without a host; errors are <see cref="OptionsValidationException"/>s that name the offending key.
/// Calling an overload more than once adds configuration steps to the same gateway.
/// </remarks>
public static class ModelGatewayServiceCollectionExtensions
{
    /// <summary>Adds the gateway, bound to the given configuration section (normally <c>configuration.GetSection("ModelGateway")</c>).</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="section">The <c>ModelGateway</c> configuration section.</param>
    /// <returns>A builder to configure the gateway further.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static IModelGatewayBuilder AddModelGateway(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        IModelGatewayBuilder builder = AddCore(services);
        services.AddOptions<ModelGatewayOptions>().Configure(options => ModelGatewayConfigurationBinder.Bind(section, options));
        return builder;
    }

    /// <summary>Adds the gateway, bound to the <c>ModelGateway</c> section of the application's registered <see cref="IConfiguration"/>.</summary>
    /// <param name="services">The services to add to.</param>
    /// <returns>A builder to configure the gateway further.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IModelGatewayBuilder AddModelGateway(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        IModelGatewayBuilder builder = AddCore(services);
        services.AddOptions<ModelGatewayOptions>().Configure<IServiceProvider>(static (options, provider) =>
        {
            IConfiguration configuration = provider.GetService<IConfiguration>()
                ?? throw new InvalidOperationException(
                    "AddModelGateway() binds the 'ModelGateway' section of the registered IConfiguration, but none is registered. " +
                    "Use a host (Host.CreateApplicationBuilder) or pass the section: AddModelGateway(configuration.GetSection(\"ModelGateway\")).");
            ModelGatewayConfigurationBinder.Bind(configuration.GetSection(GatewayDefaults.SectionName), options);
        });
        return builder;
    }

    /// <summary>Adds the gateway, configured in code.</summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="configure">Fills in the options.</param>
    /// <returns>A builder to configure the gateway further.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IModelGatewayBuilder AddModelGateway(this IServiceCollection services, Action<ModelGatewayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        IModelGatewayBuilder builder = AddCore(services);
        services.Configure(configure);
        return builder;
    }

    private static ModelGatewayBuilder AddCore(IServiceCollection services)
    {
        // A second call reuses the registries of the first, so types and middleware added through either builder apply.
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ModelGatewayBuilder) && descriptor.ImplementationInstance is ModelGatewayBuilder existing)
            {
                return existing;
            }
        }

        var providerTypes = new ProviderTypeRegistry();
        var middleware = new GatewayMiddlewareRegistry();
        var builder = new ModelGatewayBuilder(services, providerTypes, middleware);
        services.AddSingleton(builder);
        services.AddSingleton(providerTypes);
        services.AddSingleton(middleware);

        services.AddOptions<ModelGatewayOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ModelGatewayOptions>, ProviderNamePostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelGatewayOptions>, ModelGatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The gateway's own HTTP clients never log through the default HttpClient loggers, which keep raw headers
        // (Authorization, api-key) in their structured state at Trace level.
        services.AddHttpClient(GatewayDefaults.HttpClientName).RemoveAllLoggers();

        // Each concern registers its own stages and attempt observers; the pipeline orders them (GatewayStageOrder).
        TelemetryServiceRegistration.Add(services);
        CostServiceRegistration.Add(services);
        CachingServiceRegistration.Add(services);

        services.AddSingleton<GatewayRuntime>();
        services.AddSingleton<IModelGateway>(static sp => sp.GetRequiredService<GatewayRuntime>());
        services.AddSingleton<IChatClient>(static sp => sp.GetRequiredService<GatewayRuntime>().Default);
        services.AddKeyedSingleton<IChatClient>(KeyedService.AnyKey, static (sp, key) => key switch
        {
            string alias => sp.GetRequiredService<GatewayRuntime>().GetChatClient(alias),
            _ => throw new InvalidOperationException($"A keyed IChatClient from ModelGateway is keyed by a model alias (a string), not by '{key}'."),
        });
        return builder;
    }

    /// <summary>Gives each provider its configured name, so provider clients can say who they are in errors.</summary>
    private sealed class ProviderNamePostConfigure : IPostConfigureOptions<ModelGatewayOptions>
    {
        public void PostConfigure(string? name, ModelGatewayOptions options)
        {
            foreach ((string providerName, ProviderOptions provider) in options.Providers)
            {
                if (provider is not null)
                {
                    provider.Name = providerName;
                }
            }
        }
    }
}
