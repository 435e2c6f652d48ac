using System.Collections.Concurrent;

namespace ModelGateway.Testing;

/// <summary>
/// The fakes that stand in for every configured provider after
/// <see cref="ModelGatewayBuilderTestingExtensions.UseFakeProviders"/>: one <see cref="FakeChatClient"/> per provider name.
/// Resolve it from the service provider to script providers and assert on what they received. Thread-safe.
/// </summary>
public sealed class FakeProviders
{
    private readonly ConcurrentDictionary<string, FakeChatClient> _fakes = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="FakeProviders"/> class.</summary>
    /// <param name="timeProvider">The clock the fakes' latency runs on.</param>
    public FakeProviders(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the fake for a configured provider name (the same instance the gateway calls).</summary>
    /// <param name="providerName">The provider's name under <c>ModelGateway:Providers</c>.</param>
    /// <returns>The fake.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="providerName"/> is <see langword="null"/>.</exception>
    public FakeChatClient this[string providerName]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(providerName);
            return _fakes.GetOrAdd(providerName, static (name, time) => new FakeChatClient(time, name), _timeProvider);
        }
    }

    /// <summary>Gets the names of the fakes created so far.</summary>
    public IReadOnlyCollection<string> Names => [.. _fakes.Keys];
}
