using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelGateway.DependencyInjection;

namespace ModelGateway.Testing;

/// <summary>Test helpers for <see cref="IModelGatewayBuilder"/>.</summary>
public static class ModelGatewayBuilderTestingExtensions
{
    /// <summary>
    /// Replaces every configured provider, whatever its type, with a <see cref="FakeChatClient"/> reachable by provider
    /// name through the <see cref="FakeProviders"/> service. Routing, fallbacks and every middleware still run for real,
    /// so application tests exercise the same gateway configuration as production with no network and no keys.
    /// </summary>
    /// <param name="builder">The gateway builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="builder"/> did not come from <c>AddModelGateway</c>.</exception>
    public static IModelGatewayBuilder UseFakeProviders(this IModelGatewayBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder is not ModelGatewayBuilder gateway)
        {
            throw new ArgumentException("UseFakeProviders needs the builder returned by AddModelGateway.", nameof(builder));
        }

        builder.Services.TryAddSingleton(static sp => new FakeProviders(sp.GetService<TimeProvider>()));
        gateway.ProviderTypes.Override = static (sp, options) => sp.GetRequiredService<FakeProviders>()[options.Name];
        return builder;
    }
}
