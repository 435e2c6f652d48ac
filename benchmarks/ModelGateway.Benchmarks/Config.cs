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
internal sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(6)
            .WithIterationTime(TimeInterval.FromMilliseconds(150))
            .WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(RankColumn.Arabic);
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
