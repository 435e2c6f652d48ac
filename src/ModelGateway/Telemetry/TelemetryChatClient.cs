using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelGateway.Gateway;
using ModelGateway.Routing;

namespace ModelGateway.Telemetry;

/// <summary>
/// Traces, meters and logs each gateway call as a whole. When nobody listens (no trace listener, no metric listener, no
/// enabled logger) a call passes straight through without any work. Streams are measured until they end, with the time to
/// the first chunk; the outcome (attempts, provider, cost, cache hit) is read from the request context once the inner
/// pipeline is done.
/// </summary>
internal sealed class TelemetryChatClient : DelegatingChatClient
{
    private readonly GatewayTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;

    public TelemetryChatClient(IChatClient inner, GatewayTelemetry telemetry, TimeProvider timeProvider)
        : base(inner)
    {
        _telemetry = telemetry;
        _timeProvider = timeProvider;
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayRequestContext? context = GatewayRequestContext.Get(options);
        return context is null || !IsListening()
            ? base.GetResponseAsync(messages, options, cancellationToken)
            : GetResponseCoreAsync(context, messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayRequestContext? context = GatewayRequestContext.Get(options);
        return context is null || !IsListening()
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : GetStreamingResponseCoreAsync(context, messages, options, cancellationToken);
    }

    private bool IsListening() =>
        _telemetry.Source.HasListeners() || _telemetry.Logger.IsEnabled(LogLevel.Error) || _telemetry.AnyCallMetricEnabled;

    private Task<ChatResponse> GetResponseCoreAsync(GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        Activity? callerActivity = Activity.Current;
        CallTelemetry call = Begin(context, options);
        Task<ChatResponse> inner;
        try
        {
            inner = base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception exception)
        {
            inner = FromException(exception);
        }

        if (inner.IsCompletedSuccessfully)
        {
            // Answered without waiting (a cache hit): the inner task is already the answer, no task of our own.
            End(call, context, messages, options, inner.Result, streamedText: null, error: null, completed: true);
            return inner;
        }

        Task<ChatResponse> completion = CompleteAsync(call, context, messages, options, inner);

        // Not an async method: the call span started above would otherwise stay current in the caller's flow while the
        // call runs on (an async method restores it on return). The span itself goes on until CompleteAsync ends it.
        if (call.Activity is not null)
        {
            Activity.Current = callerActivity;
        }

        return completion;
    }

    private async Task<ChatResponse> CompleteAsync(CallTelemetry call, GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions? options, Task<ChatResponse> inner)
    {
        ChatResponse response;
        try
        {
            response = await inner.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            End(call, context, messages, options, response: null, streamedText: null, exception, completed: false);
            throw;
        }

        End(call, context, messages, options, response, streamedText: null, error: null, completed: true);
        return response;
    }

#pragma warning disable CS1998 // Completes synchronously on purpose: the async builder faults (or cancels) the task as an async caller would.
    private static async Task<ChatResponse> FromException(Exception exception)
#pragma warning restore CS1998
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
        return null!;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseCoreAsync(
        GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CallTelemetry call = Begin(context, options);
        bool captureText = _telemetry.TraceContent && call.Activity is not null || _telemetry.LogContent && _telemetry.Logger.IsEnabled(LogLevel.Information);
        if (captureText)
        {
            call.StreamedText = new StringBuilder();
        }

        IAsyncEnumerator<ChatResponseUpdate>? stream = null;
        Exception? error = null;
        bool completed = false;
        try
        {
            stream = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                }
                catch (Exception exception)
                {
                    error = exception;
                    throw;
                }

                ChatResponseUpdate update = stream.Current;
                if (!call.HasFirstChunk)
                {
                    call.OnFirstChunk(_timeProvider.GetTimestamp());
                }

                call.StreamedText?.Append(update.Text);
                yield return update;
            }
        }
        finally
        {
            // Closing the inner stream first lets the router finish its attempt (and its span) before the call ends.
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            End(call, context, messages, options, response: null, call.StreamedText, error, completed);
        }
    }

    private CallTelemetry Begin(GatewayRequestContext context, ChatOptions? options)
    {
        Activity? activity = _telemetry.Source.HasListeners()
            ? _telemetry.Source.StartActivity(_telemetry.CallSpanName(context.Group), ActivityKind.Client)
            : null;
        var call = new CallTelemetry(activity, options, _telemetry.Logger.IsEnabled(LogLevel.Warning));
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag(TelemetryNames.OperationName, TelemetryNames.ChatOperation);
            activity.AddTag(TelemetryNames.RequestModel, context.Group.Name);
            activity.AddTag(TelemetryNames.Alias, context.Group.Name);
            activity.AddTag(TelemetryNames.Streaming, TelemetryTags.Box(context.IsStreaming));
            TelemetryTags.SetRequestParameters(activity, options, group: null, call);
            if (context.User is { } user)
            {
                activity.AddTag(TelemetryNames.User, user);
            }

            if (context.Team is { } team)
            {
                activity.AddTag(TelemetryNames.Team, team);
            }

            if (context.Feature is { } feature)
            {
                activity.AddTag(TelemetryNames.Feature, feature);
            }

            if (context.Tags is { } tags)
            {
                activity.AddTag(TelemetryNames.Tags, tags);
            }
        }

        context.Telemetry = call;
        return call;
    }

    private void End(
        CallTelemetry call, GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions? options,
        ChatResponse? response, StringBuilder? streamedText, Exception? error, bool completed)
    {
        context.Telemetry = null;
        ILogger logger = _telemetry.Logger;
        if (call.LogWarnings)
        {
            call.FlushPendingFailure(logger, nextDelay: null);
        }

        TimeSpan latency = _timeProvider.GetElapsedTime(context.StartTimestamp);
        context.Latency = latency; // the same figure on the response's GatewayResponseInfo, without another clock read
        string alias = context.Group.Name;
        string outcome;
        string? errorType = null;
        switch (error)
        {
            case null:
                outcome = !completed ? TelemetryNames.OutcomeCancelled : context.Degraded ? TelemetryNames.OutcomeDegraded : TelemetryNames.OutcomeSuccess;
                break;
            case OperationCanceledException:
                outcome = TelemetryNames.OutcomeCancelled;
                break;
            case BudgetExceededException:
                outcome = TelemetryNames.OutcomeBudgetRejected;
                errorType = TelemetryNames.ErrorBudgetExceeded;
                break;
            case RateLimitExceededException:
                outcome = TelemetryNames.OutcomeRateLimited;
                errorType = TelemetryNames.ErrorRateLimitExceeded;
                break;
            default:
                outcome = TelemetryNames.OutcomeError;
                errorType = TelemetryNames.ErrorTypeOf(error);
                break;
        }

        DeploymentTelemetry? deployment = call.LastDeployment;
        string? genAiProvider = deployment?.GenAiProvider ?? (context.Provider is { } provider ? _telemetry.GenAiProvider(provider) : null);
        string? deploymentName = deployment?.Name;
        int attempts = context.Attempts.Count;

        RecordMetrics(call, context, alias, outcome, errorType, genAiProvider, deployment, latency, error);

        Activity? activity = call.Activity;
        bool traceContent = _telemetry.TraceContent && activity is { IsAllDataRequested: true };
        bool logContent = _telemetry.LogContent && logger.IsEnabled(LogLevel.Information);
        string? input = null;
        string? output = null;
        if (traceContent || logContent)
        {
            input = ContentFormatter.Input(messages);
            if (response is not null)
            {
                output = ContentFormatter.Output(response.Messages, response.FinishReason);
            }
            else if (streamedText is not null && completed)
            {
                output = ContentFormatter.OutputText(streamedText.ToString(), call.FinishReason);
            }
        }

        if (activity is not null)
        {
            if (activity.IsAllDataRequested)
            {
                if (genAiProvider is not null)
                {
                    activity.AddTag(TelemetryNames.ProviderName, genAiProvider);
                }

                if (deployment is not null)
                {
                    activity.AddTag(TelemetryNames.Provider, deployment.Provider);
                    activity.AddTag(TelemetryNames.Deployment, deploymentName);
                }

                TelemetryTags.SetResponse(activity, call.Usage, call.ResponseModel, call.ResponseId, call.FinishReason, call);
                activity.AddTag(TelemetryNames.Attempts, TelemetryTags.Box(attempts));
                activity.AddTag(TelemetryNames.CacheHit, TelemetryTags.Box(context.CacheHit));
                activity.AddTag(TelemetryNames.Outcome, outcome);
                if (context.Degraded)
                {
                    activity.AddTag(TelemetryNames.Degraded, TelemetryTags.Box(true));
                }

                if (context.CostUsd is { } cost)
                {
                    activity.AddTag(TelemetryNames.CostUsd, TelemetryTags.Box((double)cost));
                }

                if (call.HasFirstChunk)
                {
                    activity.AddTag(TelemetryNames.ResponseTimeToFirstChunk, _timeProvider.GetElapsedTime(context.StartTimestamp, call.FirstChunkAt).TotalSeconds);
                }

                int depth = FallbackDepth(context.Attempts);
                if (depth > 0)
                {
                    activity.AddTag(TelemetryNames.FallbackDepth, TelemetryTags.Box(depth));
                    if (context.AnsweredModel is { } answeredBy)
                    {
                        activity.AddTag(TelemetryNames.FallbackAlias, answeredBy);
                    }
                }

                if (errorType is not null)
                {
                    activity.AddTag(TelemetryNames.ErrorType, errorType);
                    activity.SetStatus(ActivityStatusCode.Error, errorType);
                }

                if (traceContent)
                {
                    var tags = new ActivityTagsCollection { [TelemetryNames.InputMessages] = input };
                    if (ContentFormatter.SystemInstructions(options) is { } instructions)
                    {
                        tags[TelemetryNames.SystemInstructions] = instructions;
                    }

                    if (output is not null)
                    {
                        tags[TelemetryNames.OutputMessages] = output;
                    }

                    activity.AddEvent(new ActivityEvent(TelemetryNames.ContentEvent, tags: tags));
                }
            }

            activity.Dispose();
        }

        Log(call, context, alias, outcome, errorType, deployment, attempts, latency, error, input, output, logContent);
    }

    private void RecordMetrics(
        CallTelemetry call, GatewayRequestContext context, string alias, string outcome, string? errorType, string? genAiProvider,
        DeploymentTelemetry? deployment, TimeSpan latency, Exception? error)
    {
        GatewayTelemetry t = _telemetry;

        // The operation's tags are built once and copied for each instrument. At most 5 tags plus the one each adds,
        // so a copy stays within TagList's 8 inline slots and never shares an overflow array with the original.
        TagList operationTags = t.OperationDuration.Enabled || t.TimeToFirstChunk.Enabled || t.TokenUsage.Enabled
            ? OperationTags(alias, genAiProvider, call.ResponseModel, deployment)
            : default;
        if (t.OperationDuration.Enabled)
        {
            TagList tags = operationTags;
            if (errorType is not null)
            {
                tags.Add(TelemetryNames.ErrorType, errorType);
            }

            t.OperationDuration.Record(latency.TotalSeconds, tags);
        }

        if (call.HasFirstChunk && t.TimeToFirstChunk.Enabled)
        {
            t.TimeToFirstChunk.Record(_timeProvider.GetElapsedTime(context.StartTimestamp, call.FirstChunkAt).TotalSeconds, operationTags);
        }

        if (call.Usage is { } usage && t.TokenUsage.Enabled)
        {
            if (usage.InputTokenCount is { } input)
            {
                TagList tags = operationTags;
                tags.Add(TelemetryNames.TokenType, "input");
                t.TokenUsage.Record(input, tags);
            }

            if (usage.OutputTokenCount is { } output)
            {
                TagList tags = operationTags;
                tags.Add(TelemetryNames.TokenType, "output");
                t.TokenUsage.Record(output, tags);
            }
        }

        if (t.Requests.Enabled)
        {
            TagList tags = AttributionTags(context, alias, t.UserMetricTags);
            tags.Add(TelemetryNames.Outcome, outcome);
            if (errorType is not null)
            {
                tags.Add(TelemetryNames.ErrorType, errorType);
            }

            t.Requests.Add(1, tags);
        }

        if (context.CostUsd is { } cost && t.Cost.Enabled)
        {
            TagList tags = AttributionTags(context, alias, t.UserMetricTags);
            if (deployment is not null)
            {
                tags.Add(TelemetryNames.Provider, deployment.Provider);
                tags.Add(TelemetryNames.Deployment, deployment.Name);
            }
            else if (context.Provider is { } provider)
            {
                tags.Add(TelemetryNames.Provider, provider);
            }

            t.Cost.Add((double)cost, tags);
        }

        if (t.CacheEnabled && error is null && LooksInCache(context))
        {
            Counter<long> counter = context.CacheHit ? t.CacheHits : t.CacheMisses;
            if (counter.Enabled)
            {
                counter.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Alias, alias));
            }
        }

        switch (error)
        {
            case BudgetExceededException budget when t.BudgetRejections.Enabled:
            {
                TagList tags = AttributionTags(context, alias, t.UserMetricTags);
                tags.Add(TelemetryNames.LimitScope, budget.Scope.ToString());
                t.BudgetRejections.Add(1, tags);
                break;
            }

            case RateLimitExceededException limit when t.RateLimitRejections.Enabled:
            {
                TagList tags = AttributionTags(context, alias, t.UserMetricTags);
                tags.Add(TelemetryNames.LimitScope, limit.Scope.ToString());
                t.RateLimitRejections.Add(1, tags);
                break;
            }
        }
    }

    private void Log(
        CallTelemetry call, GatewayRequestContext context, string alias, string outcome, string? errorType, DeploymentTelemetry? deployment,
        int attempts, TimeSpan latency, Exception? error, string? input, string? output, bool logContent)
    {
        ILogger logger = _telemetry.Logger;
        switch (error)
        {
            case BudgetExceededException budget:
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    GatewayLog.CallRejected(logger, alias, errorType!, budget.Scope);
                }

                break;
            case RateLimitExceededException limit:
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    GatewayLog.CallRejected(logger, alias, errorType!, limit.Scope);
                }

                break;
            case null or OperationCanceledException:
                if (logger.IsEnabled(LogLevel.Information))
                {
                    GatewayLog.CallCompleted(logger, alias, outcome, deployment?.Provider ?? context.Provider, deployment?.Model ?? context.ProviderModel,
                        attempts, latency.TotalMilliseconds, call.Usage?.InputTokenCount, call.Usage?.OutputTokenCount, context.CostUsd, context.CacheHit);
                }

                break;
            default:
                if (logger.IsEnabled(LogLevel.Error))
                {
                    GatewayLog.CallFailed(logger, error, alias, attempts, latency.TotalMilliseconds, errorType!);
                }

                break;
        }

        if (logContent && input is not null)
        {
            GatewayLog.CallContent(logger, alias, input, output);
        }
    }

    private bool LooksInCache(GatewayRequestContext context) =>
        context.CacheMode is CacheMode.Default or CacheMode.NoStore && (!context.IsStreaming || _telemetry.CacheStreaming);

    private static TagList OperationTags(string alias, string? genAiProvider, string? responseModel, DeploymentTelemetry? deployment)
    {
        var tags = new TagList
        {
            { TelemetryNames.OperationName, TelemetryNames.ChatOperation },
            { TelemetryNames.RequestModel, alias },
        };
        if (genAiProvider is not null)
        {
            tags.Add(TelemetryNames.ProviderName, genAiProvider);
        }

        if (responseModel is not null)
        {
            tags.Add(TelemetryNames.ResponseModel, responseModel);
        }

        if (deployment is not null)
        {
            tags.Add(TelemetryNames.Deployment, deployment.Name);
        }

        return tags;
    }

    /// <summary>The attribution tags: alias, team and feature, and the user only when <c>Logging:UserMetricTags</c> opts in
    /// (user ids are unbounded, so they are not metric tags by default).</summary>
    private static TagList AttributionTags(GatewayRequestContext context, string alias, bool includeUser)
    {
        var tags = new TagList { { TelemetryNames.Alias, alias } };
        if (includeUser && context.User is { } user)
        {
            tags.Add(TelemetryNames.User, user);
        }

        if (context.Team is { } team)
        {
            tags.Add(TelemetryNames.Team, team);
        }

        if (context.Feature is { } feature)
        {
            tags.Add(TelemetryNames.Feature, feature);
        }

        return tags;
    }

    /// <summary>How many times the call moved to another alias (0: it stayed on the one requested).</summary>
    private static int FallbackDepth(IReadOnlyList<GatewayAttempt> attempts)
    {
        int depth = 0;
        for (int i = 1; i < attempts.Count; i++)
        {
            if (!string.Equals(attempts[i].Model, attempts[i - 1].Model, StringComparison.Ordinal))
            {
                depth++;
            }
        }

        return depth;
    }
}
