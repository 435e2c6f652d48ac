using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace ModelGateway.Benchmarks;

/// <summary>
/// What one pass-through async iterator costs per item, without the gateway: a 200-item async source drained on its own
/// (baseline) and through 1, 2 and 4 layers that only <c>await foreach</c> and <c>yield return</c>, as the entry,
/// telemetry, cache and router stages do for each streamed chunk (per item = mean ÷ 200).
/// </summary>
[Config(typeof(ShortConfig))]
public class PassThroughBenchmarks
{
    private const int Items = 200;

    [Params(0, 1, 2, 4)]
    public int Layers { get; set; }

    [Benchmark(Description = "200 items through the layers")]
    public async Task<int> Drain()
    {
        IAsyncEnumerable<object> stream = Source();
        for (int i = 0; i < Layers; i++)
        {
            stream = Pass(stream);
        }

        int count = 0;
        await foreach (object _ in stream.ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

#pragma warning disable CS1998 // An async source that never waits, like a provider stream reading a buffered body.
    private static async IAsyncEnumerable<object> Source([EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        object item = new();
        for (int i = 0; i < Items; i++)
        {
            yield return item;
        }
    }

    private static async IAsyncEnumerable<object> Pass(IAsyncEnumerable<object> inner, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (object item in inner.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
