using System.Collections.Concurrent;
using System.Diagnostics;

namespace ModelGateway.Tests.Telemetry;

/// <summary>
/// Listens to the <c>ModelGateway</c> activity source (or every source) and keeps the stopped activities of this test's
/// trace only: the collector starts a root activity, and the gateway calls made while it is current belong to its trace.
/// </summary>
public sealed class ActivityCollector : IDisposable
{
    private static readonly ActivitySource s_testSource = new("ModelGateway.Tests");
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly Activity _root;

    public ActivityCollector(bool allSources = false)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => allSources || source.Name is "ModelGateway" or "ModelGateway.Tests",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == TraceId && activity != _root)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _root = s_testSource.StartActivity("test-root")!;
        TraceId = _root.TraceId;
    }

    public ActivityTraceId TraceId { get; }

    /// <summary>Gets the activities stopped so far in this test's trace, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>Gets the stopped activities of the gateway's own source.</summary>
    public IReadOnlyList<Activity> Gateway => [.. _stopped.Where(a => a.Source.Name == "ModelGateway")];

    /// <summary>Gets the one call span (the gateway span whose parent is the test root).</summary>
    public Activity CallSpan => Assert.Single(Gateway, a => a.ParentSpanId == _root.SpanId);

    /// <summary>Gets the attempt spans (children of the call span), in start order.</summary>
    public IReadOnlyList<Activity> AttemptSpans
    {
        get
        {
            Activity call = CallSpan;
            return [.. Gateway.Where(a => a.ParentSpanId == call.SpanId).OrderBy(a => (int)a.GetTagItem("modelgateway.attempt")!)];
        }
    }

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
    }
}
