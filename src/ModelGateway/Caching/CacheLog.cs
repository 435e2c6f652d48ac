using Microsoft.Extensions.Logging;

namespace ModelGateway.Caching;

/// <summary>The response cache's log messages. None carries a key, a prompt or an answer.</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "Response cache read failed for model '{Model}'; answering without the cache for this call.")]
    public static partial void ReadFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "Response cache write failed for model '{Model}'; the answer was returned but not stored.")]
    public static partial void WriteFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning,
        Message = "Response cache entry for model '{Model}' was unreadable; treated as a miss and overwritten.")]
    public static partial void CorruptEntry(ILogger logger, string model);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug,
        Message = "Request for model '{Model}' is not cached: {Reason}.")]
    public static partial void NotCacheable(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning,
        Message = "Response for model '{Model}' could not be serialized for the cache; it was returned but not stored.")]
    public static partial void NotSerializable(ILogger logger, string model, Exception exception);
}
