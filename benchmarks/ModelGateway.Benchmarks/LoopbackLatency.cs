using System.Diagnostics;
using System.Globalization;

namespace ModelGateway.Benchmarks;

/// <summary>
/// <c>--loopback-latency</c>: the per-call p50 the loopback target is stated in, measured the only way that is fair on a
/// shared machine. The three paths of <see cref="LoopbackLatencyBenchmarks"/> (same server, same handler, same setup) run
/// in ONE process, alternating in blocks of calls, so load, scheduling and the connection's state hit them equally; each
/// call is timed on its own, so the median is a per-call median, not a median of iteration means (which a few slow calls
/// inflate). A time-based warm-up first lets tiered compilation (with dynamic PGO) finish the gateway's much larger path.
/// Options: <c>--warmup-seconds N</c> (8), <c>--rounds N</c> (30), <c>--calls N</c> per block (200), and
/// <c>--setup Bare|CacheMiss|Logging|Listeners|Full</c> (Full): what the gateway has on, as in
/// <see cref="PipelineBreakdownBenchmarks"/>; <c>--no-propagation</c> stops <c>HttpClient</c> from sending trace-context
/// headers (a diagnostic: how much of the traced call's added latency is the propagation).
/// </summary>
internal static class LoopbackLatency
{
    public static int Run(string[] args)
    {
        int warmupSeconds = Option(args, "--warmup-seconds", 8);
        int rounds = Option(args, "--rounds", 30);
        int calls = Option(args, "--calls", 200);

        int setupIndex = Array.IndexOf(args, "--setup");
        PipelineBreakdownBenchmarks.Concerns setup = setupIndex >= 0 && setupIndex + 1 < args.Length
            ? Enum.Parse<PipelineBreakdownBenchmarks.Concerns>(args[setupIndex + 1], ignoreCase: true)
            : PipelineBreakdownBenchmarks.Concerns.Full;
        if (args.Contains("--no-propagation"))
        {
            // Diagnostic: HttpClient then sends no trace-context headers even while a gateway span is current.
            System.Diagnostics.DistributedContextPropagator.Current = System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator();
        }

        var benchmarks = new LoopbackLatencyBenchmarks();
        benchmarks.Setup(setup);
        try
        {
            var paths = new (string Name, Func<Task<int>> Call)[]
            {
                ("raw HttpClient POST", benchmarks.RawPost),
                ("OpenAI provider, direct", benchmarks.ProviderDirect),
                (setup == PipelineBreakdownBenchmarks.Concerns.Full ? "gateway, full pipeline" : $"gateway, {setup}", benchmarks.GatewayFullPipeline),
            };

            long warmUntil = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * warmupSeconds);
            while (Stopwatch.GetTimestamp() < warmUntil)
            {
                foreach ((_, Func<Task<int>> call) in paths)
                {
                    for (int i = 0; i < calls; i++)
                    {
                        call().GetAwaiter().GetResult();
                    }
                }
            }

            var samples = new double[paths.Length][];
            for (int p = 0; p < paths.Length; p++)
            {
                samples[p] = new double[rounds * calls];
            }

            for (int round = 0; round < rounds; round++)
            {
                for (int p = 0; p < paths.Length; p++)
                {
                    Func<Task<int>> call = paths[p].Call;
                    for (int i = 0; i < calls; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        call().GetAwaiter().GetResult();
                        samples[p][(round * calls) + i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    }
                }
            }

            Console.WriteLine($"{rounds * calls:N0} calls per path after {warmupSeconds} s of warm-up, alternating blocks of {calls}:");
            Console.WriteLine($"{"",-26} {"p50",10} {"p90",10} {"p99",10} {"p50 added",10}");
            Array.Sort(samples[0]);
            double baseline = Percentile(samples[0], 0.50);
            for (int p = 0; p < paths.Length; p++)
            {
                double[] s = samples[p];
                Array.Sort(s);
                double p50 = Percentile(s, 0.50);
                Console.WriteLine($"{paths[p].Name,-26} {p50,7:F1} µs {Percentile(s, 0.90),7:F1} µs {Percentile(s, 0.99),7:F1} µs {(p == 0 ? "" : $"{p50 - baseline:+0.0;-0.0} µs"),10}");
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }

        return 0;
    }

    private static double Percentile(double[] sorted, double fraction) => sorted[(int)((sorted.Length - 1) * fraction)];

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
