using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ModelGateway.Gateway;
using ModelGateway.Routing;

namespace ModelGateway.Telemetry;

/// <summary>
/// Per-attempt telemetry: a child span of the call span for each attempt (started on the request's flow, so it parents the
/// provider's HTTP span), the attempt duration, retry and fallback counts, and a Warning per failed attempt. The Warning
/// is written once it is known what follows (the next attempt and the delay before it, or nothing). Does nothing when the
/// telemetry stage found nobody listening.
/// </summary>
internal sealed class TelemetryAttemptObserver : AttemptObserver
{
    private readonly GatewayTelemetry _telemetry;

    public TelemetryAttemptObserver(GatewayTelemetry telemetry)
    {
        _telemetry = telemetry;
    }

    public override void OnCooldownOpened(in AttemptInfo attempt, TimeSpan duration, ProviderErrorKind failure) =>
        _telemetry.OnCooldownOpened(attempt.Group.Name, attempt.Deployment, duration, failure);

    public override object? OnAttemptStarting(GatewayRequestContext context, in AttemptInfo attempt)
    {
        if (context.Telemetry is not { } call)
        {
            return null;
        }

        GatewayTelemetry t = _telemetry;
        DeploymentTelemetry deployment = t.For(attempt.Deployment);
        if (call.LogWarnings)
        {
            call.FlushPendingFailure(t.Logger, attempt.Delay);
        }

        bool fallback = !ReferenceEquals(attempt.Group, context.Group);
        if (attempt.Number > 1 && t.Retries.Enabled)
        {
            var tags = new TagList
            {
                { TelemetryNames.Alias, context.Group.Name },
                { TelemetryNames.Provider, deployment.Provider },
                { TelemetryNames.Deployment, deployment.Name },
                { TelemetryNames.ErrorType, call.LastErrorType },
            };
            t.Retries.Add(1, tags);
        }

        if (fallback && !ReferenceEquals(attempt.Group, call.LastGroup) && t.Fallbacks.Enabled)
        {
            var tags = new TagList
            {
                { TelemetryNames.Alias, context.Group.Name },
                { TelemetryNames.FallbackAlias, attempt.Group.Name },
                { TelemetryNames.ErrorType, call.LastErrorType },
            };
            t.Fallbacks.Add(1, tags);
        }

        call.LastGroup = attempt.Group;
        call.LastDeployment = deployment;

        if (!t.Source.HasListeners())
        {
            return null;
        }

        Activity? activity = t.Source.StartActivity(deployment.SpanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag(TelemetryNames.OperationName, TelemetryNames.ChatOperation);
            activity.AddTag(TelemetryNames.ProviderName, deployment.GenAiProvider);
            activity.AddTag(TelemetryNames.RequestModel, deployment.Model);
            activity.AddTag(TelemetryNames.Alias, attempt.Group.Name);
            activity.AddTag(TelemetryNames.Provider, deployment.Provider);
            activity.AddTag(TelemetryNames.Deployment, deployment.Name);
            activity.AddTag(TelemetryNames.Attempt, TelemetryTags.Box(attempt.Number));
            if (attempt.Delay > TimeSpan.Zero)
            {
                activity.AddTag(TelemetryNames.AttemptDelay, attempt.Delay.TotalSeconds);
            }

            if (fallback)
            {
                activity.AddTag(TelemetryNames.Fallback, TelemetryTags.Box(true));
            }

            TelemetryTags.SetRequestParameters(activity, call.Options, attempt.Group, call);
        }

        return activity;
    }

    public override void OnAttemptCompleted(GatewayRequestContext context, in AttemptInfo attempt, object? state, in AttemptOutcome outcome)
    {
        if (context.Telemetry is not { } call)
        {
            (state as Activity)?.Dispose();
            return;
        }

        GatewayTelemetry t = _telemetry;
        DeploymentTelemetry deployment = call.LastDeployment ?? t.For(attempt.Deployment);
        ProviderException? error = outcome.Error;
        string? errorType = error is null ? null : TelemetryNames.ErrorCode(error.Kind);
        if (outcome.Succeeded)
        {
            call.Usage = outcome.Usage;
            call.ResponseModel = outcome.ResponseModel;
            call.ResponseId = outcome.ResponseId;
            call.FinishReason = outcome.FinishReason;
        }
        else if (error is not null)
        {
            call.LastErrorType = errorType;
            if (call.LogWarnings)
            {
                call.SetPendingFailure(attempt, deployment, error, outcome.Duration);
            }
        }

        if (!outcome.Abandoned && t.AttemptDuration.Enabled)
        {
            var tags = new TagList
            {
                { TelemetryNames.OperationName, TelemetryNames.ChatOperation },
                { TelemetryNames.ProviderName, deployment.GenAiProvider },
                { TelemetryNames.RequestModel, deployment.Model },
                { TelemetryNames.Alias, attempt.Group.Name },
                { TelemetryNames.Deployment, deployment.Name },
            };
            if (errorType is not null)
            {
                tags.Add(TelemetryNames.ErrorType, errorType);
            }

            t.AttemptDuration.Record(outcome.Duration.TotalSeconds, tags);
        }

        if (state is not Activity activity)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            TelemetryTags.SetResponse(activity, outcome.Usage, outcome.ResponseModel, outcome.ResponseId, outcome.FinishReason, call);
            if (outcome.TimeToFirstChunk is { } firstChunk)
            {
                activity.AddTag(TelemetryNames.ResponseTimeToFirstChunk, firstChunk.TotalSeconds);
            }

            if (outcome.Abandoned)
            {
                activity.AddTag(TelemetryNames.Abandoned, TelemetryTags.Box(true));
            }

            if (error is not null)
            {
                activity.AddTag(TelemetryNames.ErrorType, errorType);
                if (error.StatusCode is { } status)
                {
                    activity.AddTag(TelemetryNames.HttpStatusCode, status);
                }

                if (error.ProviderErrorCode is { } code)
                {
                    activity.AddTag(TelemetryNames.ProviderErrorCode, code);
                }

                activity.SetStatus(ActivityStatusCode.Error, errorType);
            }
        }

        activity.Dispose();
    }
}
