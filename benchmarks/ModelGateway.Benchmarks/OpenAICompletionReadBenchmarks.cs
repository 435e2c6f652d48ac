using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ModelGateway.Benchmarks.Fixtures;
using ModelGateway.Providers.OpenAI;
using ModelGateway.Providers.OpenAI.Wire;

namespace ModelGateway.Benchmarks;

/// <summary>
/// Reading the recorded non-streamed Chat Completions answer (already buffered) into its wire objects: the
/// source-generated deserializer (baseline, the general path) against the hand-written reader of the common shape.
/// </summary>
[Config(typeof(ShortConfig))]
public class OpenAICompletionReadBenchmarks
{
    private readonly byte[] _body = RecordedResponses.OpenAIChatCompletion;

    [Benchmark(Baseline = true, Description = "JsonSerializer (source-generated)")]
    public object? Deserializer() => JsonSerializer.Deserialize(_body, OpenAIJsonContext.Default.WireChatCompletion);

    [Benchmark(Description = "OpenAICompletionReader")]
    public object? HandWritten() => OpenAICompletionReader.TryRead(_body, out WireChatCompletion? completion) ? completion : null;
}
