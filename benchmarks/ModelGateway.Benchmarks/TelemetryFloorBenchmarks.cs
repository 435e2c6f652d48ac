using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace ModelGateway.Benchmarks;

/// <summary>
/// What <c>System.Diagnostics</c> itself costs for the telemetry the gateway records per call, without the gateway: a
/// call span with an attempt span inside it, with no attribute (baseline) and with 17 attributes on each (the gateway
/// sets about 34 in all), and seven histogram recordings with five tags; an <see cref="ActivityListener"/> that
/// records every span and a <see cref="MeterListener"/> on every instrument, as in the gateway benchmarks. The floor
/// under the telemetry share of the middleware's cost.
/// </summary>
[Config(typeof(ShortConfig))]
public class TelemetryFloorBenchmarks
{
    private const int AttributesPerSpan = 17;

    private static readonly object s_value = 3;

    private ActivitySource _source = null!;
    private ActivityListener _activities = null!;
    private Meter _meter = null!;
    private MeterListener _meters = null!;
    private Histogram<double> _histogram = null!;
    private string[] _names = null!;

    [GlobalSetup]
    public void Setup()
    {
        _source = new ActivitySource("ModelGateway.Floor");
        _activities = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == "ModelGateway.Floor",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = static _ => { },
        };
        ActivitySource.AddActivityListener(_activities);
        _meter = new Meter("ModelGateway.Floor");
        _histogram = _meter.CreateHistogram<double>("floor.duration");
        _meters = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == "ModelGateway.Floor")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meters.Start();
        _names = [.. Enumerable.Range(0, AttributesPerSpan).Select(i => "modelgateway.attribute" + i)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meters.Dispose();
        _meter.Dispose();
        _activities.Dispose();
        _source.Dispose();
    }

    [Benchmark(Baseline = true, Description = "call + attempt span, no attribute")]
    public bool TwoSpans()
    {
        using Activity? call = _source.StartActivity("call", ActivityKind.Client);
        using Activity? attempt = _source.StartActivity("attempt", ActivityKind.Client);
        return attempt is not null;
    }

    [Benchmark(Description = "call + attempt span, 17 attributes each")]
    public bool TwoSpansWithAttributes()
    {
        using Activity? call = _source.StartActivity("call", ActivityKind.Client);
        Tag(call);
        using Activity? attempt = _source.StartActivity("attempt", ActivityKind.Client);
        Tag(attempt);
        return attempt is not null;
    }

    [Benchmark(Description = "7 histogram recordings, 5 tags")]
    public int SevenRecordings()
    {
        for (int i = 0; i < 7; i++)
        {
            var tags = new TagList
            {
                { "gen_ai.operation.name", "chat" },
                { "gen_ai.request.model", "chat" },
                { "gen_ai.provider.name", "openai" },
                { "gen_ai.response.model", "gpt-4o-mini" },
                { "modelgateway.deployment", "vendor/gpt-4o-mini" },
            };
            _histogram.Record(1.5, tags);
        }

        return 7;
    }

    private void Tag(Activity? activity)
    {
        string[] names = _names;
        for (int i = 0; i < names.Length; i++)
        {
            activity!.AddTag(names[i], s_value);
        }
    }
}
