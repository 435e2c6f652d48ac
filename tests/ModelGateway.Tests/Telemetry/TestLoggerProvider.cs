using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ModelGateway.Tests.Telemetry;

/// <summary>A log record as a test logger saw it, with its structured state rendered to text.</summary>
public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, string?>> State, Exception? Exception)
{
    public string? Value(string key) => State.FirstOrDefault(p => p.Key == key).Value;

    /// <summary>Gets everything the record could leak: message, every state value, and the exception with its inner ones.</summary>
    public string AllText => string.Join("\n", [Category, Message, .. State.Select(p => p.Key + "=" + p.Value), Exception?.ToString() ?? string.Empty]);
}

/// <summary>Captures every log record of every category at every level.</summary>
public sealed class TestLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    /// <summary>Gets the records of the gateway's own category.</summary>
    public IReadOnlyList<LogRecord> Gateway => [.. _records.Where(r => r.Category == "ModelGateway")];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<KeyValuePair<string, string?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    values.Add(new(pair.Key, Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            owner._records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}
