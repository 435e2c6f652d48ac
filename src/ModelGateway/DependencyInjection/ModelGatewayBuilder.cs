using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Providers;

namespace ModelGateway.DependencyInjection;

/// <summary>The <see cref="IModelGatewayBuilder"/> that <c>AddModelGateway</c> returns.</summary>
internal sealed class ModelGatewayBuilder : IModelGatewayBuilder
{
    public ModelGatewayBuilder(IServiceCollection services, ProviderTypeRegistry providerTypes, GatewayMiddlewareRegistry middleware)
    {
        Services = services;
        ProviderTypes = providerTypes;
        Middleware = middleware;
    }

    public IServiceCollection Services { get; }

    internal ProviderTypeRegistry ProviderTypes { get; }

    internal GatewayMiddlewareRegistry Middleware { get; }

    public IModelGatewayBuilder Configure(Action<ModelGatewayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    public IModelGatewayBuilder AddProviderType(string type, Func<IServiceProvider, ProviderOptions, IChatClient> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(factory);
        ProviderTypes.Add(type, factory);
        return this;
    }

    public IModelGatewayBuilder UseMiddleware(Func<IChatClient, IServiceProvider, IChatClient> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        Middleware.Application.Add(middleware);
        return this;
    }
}
