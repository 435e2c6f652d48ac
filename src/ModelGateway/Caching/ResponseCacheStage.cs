using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelGateway.Gateway;

namespace ModelGateway.Caching;

/// <summary>
/// Puts the response cache into the pipeline at <see cref="GatewayStageOrder.Cache"/> when <c>Cache:Enabled</c> is true;
/// otherwise the pipeline is left exactly as it was, so a disabled cache costs nothing.
/// </summary>
internal sealed class ResponseCacheStage : GatewayStage
{
    /// <summary>How long a cache read or write may take before the call goes on without the cache.</summary>
    internal static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    private readonly IOptions<ModelGatewayOptions> _options;

    public ResponseCacheStage(IOptions<ModelGatewayOptions> options)
    {
        _options = options;
    }

    public override int Order => GatewayStageOrder.Cache;

    public override IChatClient Wrap(IChatClient inner, IServiceProvider services)
    {
        CacheOptions cache = _options.Value.Cache;
        if (!cache.Enabled)
        {
            return inner;
        }

        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger("ModelGateway.Caching") ?? NullLogger.Instance;
        return new ResponseCachingChatClient(
            inner,
            services.GetRequiredService<IDistributedCache>(),
            cache,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            logger,
            OperationTimeout);
    }
}
