using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ModelGateway;

/// <summary>Configures the gateway registered by <c>AddModelGateway</c>; every method returns the builder for chaining.</summary>
public interface IModelGatewayBuilder
{
    /// <summary>Gets the service collection the gateway is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Adds a configuration step that runs after the configuration section is bound.</summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    IModelGatewayBuilder Configure(Action<ModelGatewayOptions> configure);

    /// <summary>
    /// Adds (or replaces) a provider type, so that providers whose <c>Type</c> is <paramref name="type"/> are built by
    /// <paramref name="factory"/>. The factory runs once per configured provider, at start-up.
    /// </summary>
    /// <param name="type">The type name used in configuration (case-insensitive).</param>
    /// <param name="factory">Builds the provider's client from the application's services and the provider's options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty or white space.</exception>
    IModelGatewayBuilder AddProviderType(string type, Func<IServiceProvider, ProviderOptions, IChatClient> factory);

    /// <summary>
    /// Adds an application decorator to the pipeline, inside the gateway's cache and outside the router, so that it runs once
    /// per request (not per attempt). Decorators added first sit outermost.
    /// </summary>
    /// <param name="middleware">Wraps the inner client and returns the decorated one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="middleware"/> is <see langword="null"/>.</exception>
    IModelGatewayBuilder UseMiddleware(Func<IChatClient, IServiceProvider, IChatClient> middleware);
}
