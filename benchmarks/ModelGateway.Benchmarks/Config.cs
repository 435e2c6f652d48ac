using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace ModelGateway.Benchmarks;

/// <summary>
/// A short job: one launch, two warm-up and six measured iterations of about 150 ms each, so that the whole suite runs
/// in minutes on a shared two-core machine. Ratios (against the baseline of each class, measured in the same run) are
/// what to read; the absolute times move with the machine's load.
/// </summary>
internal class ShortConfig : ManualConfig
{
    public ShortConfig()
        : this(warmupCount: 2)
    {
    }

    protected ShortConfig(int warmupCount)
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(warmupCount)
            .WithIterationCount(6)
            .WithIterationTime(TimeInterval.FromMilliseconds(150))
            .WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(RankColumn.Arabic);
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
        WithOptions(ConfigOptions.DisableLogFile);
    }
}

/// <summary>
/// The short job with twenty warm-up iterations (about three seconds) for classes that run the whole gateway: its path
/// has many more methods than a provider call, and tiered compilation (with dynamic PGO) takes seconds to finish
/// optimising them. With two warm-ups the measured iterations caught that re-compilation, and the gateway rows came
/// out "erratic" (errors as large as their means) while the steady state is flat.
/// </summary>
internal sealed class WarmShortConfig : ShortConfig
{
    public WarmShortConfig()
        : base(warmupCount: 20)
    {
    }
}
