using Microsoft.Extensions.Logging;

namespace ModelGateway.Telemetry;

/// <summary>
/// The gateway's log events, source-generated. None carries a secret: no option, header or credential is ever a value,
/// and message text appears only in <see cref="CallContent"/>, written only when <c>Logging:IncludeContent</c> is on.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, EventName = "GatewayCallCompleted", Level = LogLevel.Information,
        Message = "Gateway call to {Alias} {Outcome}: {Provider}/{Deployment} after {Attempts} attempt(s) in {LatencyMs} ms, " +
                  "{InputTokens} input / {OutputTokens} output tokens, cost {CostUsd} USD, cache hit {CacheHit}")]
    public static partial void CallCompleted(
        ILogger logger, string alias, string outcome, string? provider, string? deployment, int attempts, double latencyMs,
        long? inputTokens, long? outputTokens, decimal? costUsd, bool cacheHit);

    [LoggerMessage(EventId = 2, EventName = "GatewayAttemptFailed", Level = LogLevel.Warning,
        Message = "Attempt {Attempt} for {Alias} on {Provider}/{Deployment} failed after {DurationMs} ms: {ErrorKind} " +
                  "(status {StatusCode}, provider code {ProviderErrorCode}); next attempt after {NextDelayMs} ms")]
    public static partial void AttemptFailedRetrying(
        ILogger logger, int attempt, string alias, string provider, string deployment, double durationMs, ProviderErrorKind errorKind,
        int? statusCode, string? providerErrorCode, double nextDelayMs);

    [LoggerMessage(EventId = 3, EventName = "GatewayAttemptFailedNoRetry", Level = LogLevel.Warning,
        Message = "Attempt {Attempt} for {Alias} on {Provider}/{Deployment} failed after {DurationMs} ms: {ErrorKind} " +
                  "(status {StatusCode}, provider code {ProviderErrorCode}); no further attempt")]
    public static partial void AttemptFailedFinal(
        ILogger logger, int attempt, string alias, string provider, string deployment, double durationMs, ProviderErrorKind errorKind,
        int? statusCode, string? providerErrorCode);

    [LoggerMessage(EventId = 4, EventName = "GatewayCallFailed", Level = LogLevel.Error,
        Message = "Gateway call to {Alias} failed after {Attempts} attempt(s) in {LatencyMs} ms: {ErrorType}")]
    public static partial void CallFailed(ILogger logger, Exception exception, string alias, int attempts, double latencyMs, string errorType);

    [LoggerMessage(EventId = 5, EventName = "GatewayCallRejected", Level = LogLevel.Warning,
        Message = "Gateway call to {Alias} rejected: {ErrorType} (scope {LimitScope})")]
    public static partial void CallRejected(ILogger logger, string alias, string errorType, LimitScope limitScope);

    [LoggerMessage(EventId = 6, EventName = "GatewayCallContent", Level = LogLevel.Information,
        Message = "Gateway call to {Alias} content: input {InputMessages}, output {OutputMessages}")]
    public static partial void CallContent(ILogger logger, string alias, string inputMessages, string? outputMessages);

    [LoggerMessage(EventId = 7, EventName = "GatewayCooldownOpened", Level = LogLevel.Warning,
        Message = "Deployment {Provider}/{Deployment} of {Alias} cools down for {DurationMs} ms after {ErrorKind}")]
    public static partial void CooldownOpened(ILogger logger, string provider, string deployment, string alias, double durationMs, ProviderErrorKind errorKind);
}
