using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ModelGateway.Benchmarks;

/// <summary>MB/s (10^6 bytes per second) for benchmarks that declare how many bytes one operation processes.</summary>
internal sealed class ThroughputColumn : IColumn
{
    private readonly Func<string, long> _bytesPerOperation;

    public ThroughputColumn(Func<string, long> bytesPerOperation) => _bytesPerOperation = bytesPerOperation;

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Megabytes (10^6 bytes) processed per second: input bytes / mean time";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        long bytes = _bytesPerOperation(benchmarkCase.Descriptor.WorkloadMethod.Name);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return bytes <= 0 || meanNs is not > 0 ? "-" : (bytes / (meanNs.Value / 1e9) / 1e6).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }
}
