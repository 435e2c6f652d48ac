using System.Diagnostics;
using Microsoft.Extensions.AI;
using ModelGateway.Routing;

namespace ModelGateway.Telemetry;

/// <summary>Span tags shared by the call span and the attempt spans. Callers check <see cref="Activity.IsAllDataRequested"/> first.</summary>
internal static class TelemetryTags
{
    // Tag values are objects: the same immutable boxes serve every span instead of a new box per tag.
    private static readonly object s_true = true;
    private static readonly object s_false = false;
    private static readonly object[] s_smallInts = BoxSmallInts();
    private static readonly object s_zero = 0d;

    /// <summary>Returns a shared box for <paramref name="value"/>.</summary>
    public static object Box(bool value) => value ? s_true : s_false;

    /// <summary>Returns a shared box for an attempt number or count (0–15), a new one above.</summary>
    public static object Box(int value) => (uint)value < (uint)s_smallInts.Length ? s_smallInts[value] : value;

    /// <summary>Returns a shared box for positive zero (a cache hit's cost), a new one for any other value.</summary>
    public static object Box(double value) => BitConverter.DoubleToInt64Bits(value) == 0 ? s_zero : value;

    /// <summary>Sets the <c>gen_ai.request.*</c> parameters: the request's own, or, for an attempt, with the group's defaults applied.</summary>
    /// <param name="activity">The span.</param>
    /// <param name="options">The request's options.</param>
    /// <param name="group">For an attempt span, the group whose defaults apply; <see langword="null"/> for the call span.</param>
    /// <param name="call">The call, whose spans share the boxes of equal values.</param>
    public static void SetRequestParameters(Activity activity, ChatOptions? options, ModelGroup? group, CallTelemetry call)
    {
        if ((options?.Temperature ?? group?.Temperature) is { } temperature)
        {
            activity.AddTag(TelemetryNames.RequestTemperature, call.ShareTemperature(temperature));
        }

        if ((options?.TopP ?? group?.TopP) is { } topP)
        {
            activity.AddTag(TelemetryNames.RequestTopP, call.ShareTopP(topP));
        }

        if ((options?.MaxOutputTokens ?? group?.MaxOutputTokens) is { } maxTokens)
        {
            activity.AddTag(TelemetryNames.RequestMaxTokens, call.ShareMaxTokens(maxTokens));
        }

        if (options is null)
        {
            return;
        }

        if (options.TopK is { } topK)
        {
            activity.AddTag(TelemetryNames.RequestTopK, topK);
        }

        if (options.FrequencyPenalty is { } frequencyPenalty)
        {
            activity.AddTag(TelemetryNames.RequestFrequencyPenalty, (double)frequencyPenalty);
        }

        if (options.PresencePenalty is { } presencePenalty)
        {
            activity.AddTag(TelemetryNames.RequestPresencePenalty, (double)presencePenalty);
        }

        if (options.Seed is { } seed)
        {
            activity.AddTag(TelemetryNames.RequestSeed, seed);
        }

        if (options.StopSequences is { Count: > 0 } stop)
        {
            string[] sequences = new string[stop.Count];
            stop.CopyTo(sequences, 0);
            activity.AddTag(TelemetryNames.RequestStopSequences, sequences);
        }
    }

    /// <summary>Sets what the provider answered: model, id, finish reason and token usage (boxes shared by the call's spans).</summary>
    public static void SetResponse(Activity activity, UsageDetails? usage, string? model, string? id, ChatFinishReason? finishReason, CallTelemetry call)
    {
        if (model is not null)
        {
            activity.AddTag(TelemetryNames.ResponseModel, model);
        }

        if (id is not null)
        {
            activity.AddTag(TelemetryNames.ResponseId, id);
        }

        if (finishReason is { } finish)
        {
            activity.AddTag(TelemetryNames.ResponseFinishReasons, call.ShareFinishReasons(finish.Value));
        }

        if (usage?.InputTokenCount is { } input)
        {
            activity.AddTag(TelemetryNames.UsageInputTokens, call.ShareInputTokens(input));
        }

        if (usage?.OutputTokenCount is { } output)
        {
            activity.AddTag(TelemetryNames.UsageOutputTokens, call.ShareOutputTokens(output));
        }
    }

    private static object[] BoxSmallInts()
    {
        var boxes = new object[16];
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = i;
        }

        return boxes;
    }
}
