using Microsoft.Extensions.AI;

namespace ModelGateway.Providers;

/// <summary>
/// Maps a provider <c>Type</c> from configuration to the factory that builds its <see cref="IChatClient"/>.
/// Filled at registration time (built-in types, then <see cref="IModelGatewayBuilder.AddProviderType"/>); read-only once the
/// gateway starts.
/// </summary>
internal sealed class ProviderTypeRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider, ProviderOptions, IChatClient>> _factories = new(StringComparer.OrdinalIgnoreCase);

    public ProviderTypeRegistry()
    {
        BuiltInProviderTypes.Register(this);
    }

    /// <summary>Gets or sets a factory that replaces every provider, whatever its type (the testing package's fakes).</summary>
    public Func<IServiceProvider, ProviderOptions, IChatClient>? Override { get; set; }

    public IEnumerable<string> Types => _factories.Keys;

    public void Add(string type, Func<IServiceProvider, ProviderOptions, IChatClient> factory) => _factories[type] = factory;

    public bool Contains(string type) => _factories.ContainsKey(type);

    public IChatClient Create(IServiceProvider services, ProviderOptions options)
    {
        if (Override is { } replacement)
        {
            return replacement(services, options);
        }

        if (options.Type is null || !_factories.TryGetValue(options.Type, out var factory))
        {
            // Validation rejects unknown types at start-up; reaching here means the registry changed after it.
            throw new InvalidOperationException($"Provider '{options.Name}' has unknown Type '{options.Type}'.");
        }

        return factory(services, options) ?? throw new InvalidOperationException($"The factory for provider type '{options.Type}' returned null for provider '{options.Name}'.");
    }
}
