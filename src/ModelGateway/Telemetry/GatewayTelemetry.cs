using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelGateway.Routing;

namespace ModelGateway.Telemetry;

/// <summary>
/// The gateway's traces, metrics and logs: one <see cref="ActivitySource"/> and one <see cref="Meter"/> named
/// <c>ModelGateway</c>, their instruments, and the <c>ModelGateway</c> logger. A singleton shared by the telemetry stage
/// (per call) and the attempt observer (per attempt); thread-safe. Also the hook other parts of the gateway call for events
/// only they see (<see cref="OnCooldownOpened"/>).
/// </summary>
internal sealed class GatewayTelemetry : IDisposable
{
    private const string OtelContentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    private readonly Dictionary<string, string> _providerTypes;
    private readonly ConditionalWeakTable<Deployment, DeploymentTelemetry> _deployments = new();
    private readonly ConditionalWeakTable<Deployment, DeploymentTelemetry>.CreateValueCallback _createDeployment;
    private readonly ConditionalWeakTable<ModelGroup, string> _callSpanNames = new();
    private readonly bool _ownsMeter;

    public GatewayTelemetry(ModelGatewayOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
        : this(options, loggerFactory, meterFactory, Environment.GetEnvironmentVariable(OtelContentVariable))
    {
    }

    internal GatewayTelemetry(ModelGatewayOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, string? otelContentSetting)
    {
        _providerTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, ProviderOptions provider) in options.Providers)
        {
            _providerTypes[name] = TelemetryNames.GenAiProviderName(provider?.Type);
        }

        _createDeployment = CreateDeployment;
        LogContent = options.Logging.IncludeContent;
        UserMetricTags = options.Logging.UserMetricTags;
        TraceContent = LogContent || string.Equals(otelContentSetting, "true", StringComparison.OrdinalIgnoreCase);
        CacheEnabled = options.Cache.Enabled;
        CacheStreaming = options.Cache.CacheStreaming;
        Logger = loggerFactory?.CreateLogger(TelemetryNames.SourceName) ?? NullLogger.Instance;

        string? version = typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString();
        Source = new ActivitySource(TelemetryNames.SourceName, version);
        if (meterFactory is not null)
        {
            Meter = meterFactory.Create(new MeterOptions(TelemetryNames.SourceName) { Version = version });
        }
        else
        {
            Meter = new Meter(TelemetryNames.SourceName, version);
            _ownsMeter = true;
        }

        var durationAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryNames.DurationBuckets };
        OperationDuration = Meter.CreateHistogram(TelemetryNames.OperationDurationMetric, "s",
            "Duration of a gateway call, retries and fallbacks included.", tags: null, durationAdvice);
        TimeToFirstChunk = Meter.CreateHistogram(TelemetryNames.TimeToFirstChunkMetric, "s",
            "Time from a streamed call's start to its first chunk.", tags: null, durationAdvice);
        AttemptDuration = Meter.CreateHistogram(TelemetryNames.AttemptDurationMetric, "s",
            "Duration of one attempt on one deployment.", tags: null, durationAdvice);
        TokenUsage = Meter.CreateHistogram(TelemetryNames.TokenUsageMetric, "{token}",
            "Input and output tokens of a gateway call, as the provider reported them.", tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = TelemetryNames.TokenBuckets });
        Requests = Meter.CreateCounter<long>(TelemetryNames.RequestsMetric, "{request}", "Gateway calls by outcome.");
        Cost = Meter.CreateCounter<double>(TelemetryNames.CostMetric, "{USD}", "Spend in US dollars of priced calls.");
        Retries = Meter.CreateCounter<long>(TelemetryNames.RetriesMetric, "{attempt}", "Attempts after the first of a call (fallback attempts included).");
        Fallbacks = Meter.CreateCounter<long>(TelemetryNames.FallbacksMetric, "{fallback}", "Moves of a call to a fallback alias.");
        Cooldowns = Meter.CreateCounter<long>(TelemetryNames.CooldownsMetric, "{cooldown}", "Deployments put in cooldown.");
        CacheHits = Meter.CreateCounter<long>(TelemetryNames.CacheHitsMetric, "{request}", "Calls answered from the response cache.");
        CacheMisses = Meter.CreateCounter<long>(TelemetryNames.CacheMissesMetric, "{request}", "Calls that looked in the response cache and missed.");
        BudgetRejections = Meter.CreateCounter<long>(TelemetryNames.BudgetRejectionsMetric, "{request}", "Calls rejected because a budget was spent.");
        RateLimitRejections = Meter.CreateCounter<long>(TelemetryNames.RateLimitRejectionsMetric, "{request}", "Calls rejected by a rate limit.");
    }

    public ActivitySource Source { get; }

    public Meter Meter { get; }

    public ILogger Logger { get; }

    /// <summary>Gets whether message text is written to logs (<c>Logging:IncludeContent</c>).</summary>
    public bool LogContent { get; }

    /// <summary>Gets whether message text is recorded on spans (<c>Logging:IncludeContent</c> or the OpenTelemetry variable).</summary>
    public bool TraceContent { get; }

    /// <summary>Gets whether user ids are tags on the gateway's counters (<c>Logging:UserMetricTags</c>).</summary>
    public bool UserMetricTags { get; }

    public bool CacheEnabled { get; }

    public bool CacheStreaming { get; }

    public Histogram<double> OperationDuration { get; }

    public Histogram<double> TimeToFirstChunk { get; }

    public Histogram<double> AttemptDuration { get; }

    public Histogram<long> TokenUsage { get; }

    public Counter<long> Requests { get; }

    public Counter<double> Cost { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Fallbacks { get; }

    public Counter<long> Cooldowns { get; }

    public Counter<long> CacheHits { get; }

    public Counter<long> CacheMisses { get; }

    public Counter<long> BudgetRejections { get; }

    public Counter<long> RateLimitRejections { get; }

    /// <summary>Gets whether any per-call metric has a listener; each is checked so a partial subscription still records.</summary>
    public bool AnyCallMetricEnabled =>
        OperationDuration.Enabled || Requests.Enabled || TokenUsage.Enabled || Cost.Enabled || TimeToFirstChunk.Enabled
        || AttemptDuration.Enabled || Retries.Enabled || Fallbacks.Enabled || CacheHits.Enabled || CacheMisses.Enabled
        || BudgetRejections.Enabled || RateLimitRejections.Enabled;

    /// <summary>Returns the telemetry names of a deployment, computed once.</summary>
    public DeploymentTelemetry For(Deployment deployment) => _deployments.GetValue(deployment, _createDeployment);

    /// <summary>Returns the call span's name for a group, <c>chat {alias}</c>, built once per group.</summary>
    public string CallSpanName(ModelGroup group) =>
        _callSpanNames.TryGetValue(group, out string? name)
            ? name
            : _callSpanNames.GetValue(group, static g => TelemetryNames.ChatOperation + " " + g.Name);

    /// <summary>Returns the <c>gen_ai.provider.name</c> of a configured provider.</summary>
    public string GenAiProvider(string provider) =>
        _providerTypes.TryGetValue(provider, out string? name) ? name : "_OTHER";

    /// <summary>
    /// Records that a deployment was put in cooldown: counts it on <c>modelgateway.cooldowns</c> and logs a Warning.
    /// The router calls this when a deployment crosses its failure threshold. Thread-safe; never throws.
    /// </summary>
    /// <param name="alias">The alias (group) whose deployment cools down.</param>
    /// <param name="deployment">The deployment.</param>
    /// <param name="duration">How long it is skipped.</param>
    /// <param name="lastFailure">The failure that opened the cooldown.</param>
    public void OnCooldownOpened(string alias, Deployment deployment, TimeSpan duration, ProviderErrorKind lastFailure)
    {
        DeploymentTelemetry names = For(deployment);
        if (Cooldowns.Enabled)
        {
            var tags = new TagList
            {
                { TelemetryNames.Alias, alias },
                { TelemetryNames.Provider, names.Provider },
                { TelemetryNames.Deployment, names.Name },
                { TelemetryNames.ErrorType, TelemetryNames.ErrorCode(lastFailure) },
            };
            Cooldowns.Add(1, tags);
        }

        if (Logger.IsEnabled(LogLevel.Warning))
        {
            GatewayLog.CooldownOpened(Logger, names.Provider, names.Model, alias, duration.TotalMilliseconds, lastFailure);
        }
    }

    public void Dispose()
    {
        Source.Dispose();
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private DeploymentTelemetry CreateDeployment(Deployment deployment) =>
        new(deployment.Provider, deployment.ProviderModel, GenAiProvider(deployment.Provider));
}
