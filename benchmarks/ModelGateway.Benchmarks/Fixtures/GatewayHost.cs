using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelGateway.Gateway;
using ModelGateway.Providers.Anthropic;
using ModelGateway.Providers.OpenAI;

namespace ModelGateway.Benchmarks.Fixtures;

/// <summary>How the gateway under test is set up.</summary>
internal enum CacheSetup
{
    /// <summary>The cache stage is in the pipeline but its store never has the entry: every call is a miss and a write.</summary>
    AlwaysMiss,

    /// <summary>The cache stage over an in-memory <see cref="IDistributedCache"/>: the second identical call is a hit.</summary>
    InMemory,

    /// <summary>No cache stage (<c>Cache:Enabled</c> false).</summary>
    Disabled,
}

/// <summary>
/// One gateway as an application would register it (<c>AddModelGateway</c> from JSON), with the named
/// <c>ModelGateway</c> HTTP client's primary handler replaced by a <see cref="FixedResponseHandler"/>; logging at
/// Information into a provider that keeps nothing; the gateway's traces and metrics recorded by live listeners.
/// </summary>
internal sealed class GatewayHost : IDisposable
{
    public const string ApiKey = "sk-bench-0000000000000000000000000000";

    private readonly ServiceProvider _services;
    private readonly ActivityListener? _activities;
    private readonly MeterListener? _meters;

    public GatewayHost(string providerType, string model, HttpMessageHandler handler, CacheSetup cache, bool listeners = true, bool logging = true)
    {
        string json = $$"""
            {
              "ModelGateway": {
                "DefaultModel": "chat",
                "Providers": { "vendor": { "Type": "{{providerType}}", "ApiKey": "{{ApiKey}}" } },
                "Models": { "chat": { "Deployments": [ { "Provider": "vendor", "Model": "{{model}}" } ] } },
                "Resilience": { "MaxRetries": 2 },
                "Cache": { "Enabled": {{(cache == CacheSetup.Disabled ? "false" : "true")}} },
                "Logging": { "IncludeContent": false }
              }
            }
            """;
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var services = new ServiceCollection();
        if (logging)
        {
            services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(new DiscardingLoggerProvider()));
        }

        services.AddMetrics();
        services.AddModelGateway(configuration.GetSection("ModelGateway"));
        services.AddHttpClient("ModelGateway").ConfigurePrimaryHttpMessageHandler(() => handler);
        if (cache == CacheSetup.AlwaysMiss)
        {
            services.AddSingleton<IDistributedCache, AlwaysMissCache>();
        }

        _services = services.BuildServiceProvider();
        _activities = listeners ? StartActivityListener() : null;
        _meters = listeners ? StartMeterListener() : null;

        Gateway = _services.GetRequiredService<IChatClient>();
        Runtime = _services.GetRequiredService<GatewayRuntime>();
        var providerOptions = new ProviderOptions { Name = "vendor", Type = providerType, ApiKey = ApiKey };
        Direct = providerType == "anthropic"
            ? AnthropicChatClient.Create(_services, providerOptions)
            : OpenAIProviderTypes.CreateOpenAI(_services, providerOptions);
    }

    /// <summary>Gets the gateway's <see cref="IChatClient"/>: the full pipeline.</summary>
    public IChatClient Gateway { get; }

    /// <summary>Gets the same provider client the gateway routes to, created on its own: no pipeline at all.</summary>
    public IChatClient Direct { get; }

    public GatewayRuntime Runtime { get; }

    public IServiceProvider Services => _services;

    public void Dispose()
    {
        _activities?.Dispose();
        _meters?.Dispose();
        Direct.Dispose();
        _services.Dispose();
    }

    private static ActivityListener StartActivityListener()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name.StartsWith("ModelGateway", StringComparison.Ordinal),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = static _ => { },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static MeterListener StartMeterListener()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name.StartsWith("ModelGateway", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<int>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<decimal>(static (_, _, _, _) => { });
        listener.Start();
        return listener;
    }

    /// <summary>A store that never has an entry and drops every write: a cache miss on every call.</summary>
    private sealed class AlwaysMissCache : IDistributedCache
    {
        public byte[]? Get(string key) => null;

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult<byte[]?>(null);

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key)
        {
        }

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.CompletedTask;
    }

    /// <summary>Enabled from Information up, as a production logger is; keeps nothing (the sink's own cost is not ours).</summary>
    private sealed class DiscardingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => DiscardingLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class DiscardingLogger : ILogger
        {
            public static readonly DiscardingLogger Instance = new();

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
            }
        }
    }
}
