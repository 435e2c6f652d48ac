namespace ChatApi;

/// <summary>The sample's log messages. Full exceptions stay here, server-side; clients get <see cref="Errors.ApiError"/> messages.</summary>
internal static partial class ChatApiLog
{
    [LoggerMessage(1, LogLevel.Warning, "{Endpoint} failed with {Status} ({Code})")]
    public static partial void RequestFailed(ILogger logger, string endpoint, int status, string? code, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "{Endpoint} failed unexpectedly")]
    public static partial void UnexpectedFailure(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "{Endpoint}: the stream failed after it started; the client received an error event")]
    public static partial void StreamFailed(ILogger logger, string endpoint, Exception exception);
}
