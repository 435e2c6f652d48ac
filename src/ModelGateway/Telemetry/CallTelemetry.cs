using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using ModelGateway.Routing;

namespace ModelGateway.Telemetry;

/// <summary>
/// What the telemetry stage and the attempt observer share about one gateway call. Created by the stage only when someone
/// listens (a trace listener, a metric listener or an enabled logger), and reached through
/// <see cref="Gateway.GatewayRequestContext.Telemetry"/>. Used from one logical flow at a time, like the context.
/// </summary>
internal sealed class CallTelemetry
{
    public CallTelemetry(Activity? activity, ChatOptions? options, bool logWarnings)
    {
        Activity = activity;
        Options = options;
        LogWarnings = logWarnings;
    }

    /// <summary>Gets the call span, or <see langword="null"/> when no trace listener samples it.</summary>
    public Activity? Activity { get; }

    /// <summary>Gets the request's options (parameters for the attempt spans).</summary>
    public ChatOptions? Options { get; }

    /// <summary>Gets whether failed attempts are logged (the logger is enabled for warnings).</summary>
    public bool LogWarnings { get; }

    /// <summary>Gets whether a streamed chunk reached the stage.</summary>
    public bool HasFirstChunk { get; private set; }

    /// <summary>Gets when the first streamed chunk reached the stage (a <see cref="TimeProvider"/> timestamp).</summary>
    public long FirstChunkAt { get; private set; }

    public void OnFirstChunk(long timestamp)
    {
        FirstChunkAt = timestamp;
        HasFirstChunk = true;
    }

    /// <summary>Gets or sets the streamed text, gathered only when content is captured.</summary>
    public StringBuilder? StreamedText { get; set; }

    /// <summary>Gets or sets the deployment of the latest attempt (the one that answered, when the call succeeded).</summary>
    public DeploymentTelemetry? LastDeployment { get; set; }

    /// <summary>Gets or sets the group of the latest attempt.</summary>
    public ModelGroup? LastGroup { get; set; }

    /// <summary>Gets or sets the error of the latest failed attempt (the reason for the next retry or fallback).</summary>
    public string? LastErrorType { get; set; }

    // What the successful attempt reported.
    public UsageDetails? Usage { get; set; }

    public string? ResponseModel { get; set; }

    public string? ResponseId { get; set; }

    public ChatFinishReason? FinishReason { get; set; }

    // A failed attempt whose Warning waits until it is known what follows it (the delay before the next attempt, or none).
    // A class, allocated only when an attempt fails, so a call that succeeds carries one reference instead of its fields.
    public bool HasPendingFailure => _pending is not null;

    private PendingFailure? _pending;

    // Tag values the call span and the attempt spans both carry, boxed once per call (see the Share methods).
    private object? _temperature;
    private object? _topP;
    private object? _maxTokens;
    private object? _inputTokens;
    private object? _outputTokens;
    private string[]? _finishReasons;

    public void SetPendingFailure(in AttemptInfo attempt, DeploymentTelemetry deployment, ProviderException error, TimeSpan duration) =>
        _pending = new PendingFailure(attempt.Number, attempt.Group.Name, deployment, error, duration);

    /// <summary>Returns the box of <c>gen_ai.request.temperature</c> already on another span of this call when the value is the same.</summary>
    public object ShareTemperature(double value) => Share(ref _temperature, value);

    /// <summary>Returns the box of <c>gen_ai.request.top_p</c> already on another span of this call when the value is the same.</summary>
    public object ShareTopP(double value) => Share(ref _topP, value);

    /// <summary>Returns the box of <c>gen_ai.request.max_tokens</c> already on another span of this call when the value is the same.</summary>
    public object ShareMaxTokens(int value)
    {
        if (_maxTokens is int boxed && boxed == value)
        {
            return _maxTokens;
        }

        return _maxTokens = value;
    }

    /// <summary>Returns the box of <c>gen_ai.usage.input_tokens</c> already on another span of this call when the value is the same.</summary>
    public object ShareInputTokens(long value) => Share(ref _inputTokens, value);

    /// <summary>Returns the box of <c>gen_ai.usage.output_tokens</c> already on another span of this call when the value is the same.</summary>
    public object ShareOutputTokens(long value) => Share(ref _outputTokens, value);

    /// <summary>Returns the <c>gen_ai.response.finish_reasons</c> array already on another span of this call when it holds the same reason.</summary>
    public string[] ShareFinishReasons(string value)
    {
        if (_finishReasons is { } reasons && string.Equals(reasons[0], value, StringComparison.Ordinal))
        {
            return reasons;
        }

        return _finishReasons = [value];
    }

    /// <summary>Writes the pending failure's Warning, naming the delay before the next attempt (<see langword="null"/>: none).</summary>
    public void FlushPendingFailure(Microsoft.Extensions.Logging.ILogger logger, TimeSpan? nextDelay)
    {
        if (!HasPendingFailure)
        {
            return;
        }

        PendingFailure p = _pending!;
        _pending = null;
        if (nextDelay is { } delay)
        {
            GatewayLog.AttemptFailedRetrying(logger, p.Number, p.Alias, p.Deployment.Provider, p.Deployment.Model, p.Duration.TotalMilliseconds,
                p.Error.Kind, p.Error.StatusCode, p.Error.ProviderErrorCode, delay.TotalMilliseconds);
        }
        else
        {
            GatewayLog.AttemptFailedFinal(logger, p.Number, p.Alias, p.Deployment.Provider, p.Deployment.Model, p.Duration.TotalMilliseconds,
                p.Error.Kind, p.Error.StatusCode, p.Error.ProviderErrorCode);
        }
    }

    private static object Share(ref object? slot, double value)
    {
        // Bit equality: a box is reused only for the very same value (0.0 and -0.0 stay apart).
        if (slot is double boxed && BitConverter.DoubleToInt64Bits(boxed) == BitConverter.DoubleToInt64Bits(value))
        {
            return slot;
        }

        return slot = value;
    }

    private static object Share(ref object? slot, long value)
    {
        if (slot is long boxed && boxed == value)
        {
            return slot;
        }

        return slot = value;
    }

    private sealed record PendingFailure(int Number, string Alias, DeploymentTelemetry Deployment, ProviderException Error, TimeSpan Duration);
}
