using System.Diagnostics;
using Microsoft.Extensions.AI;
using ModelGateway.Benchmarks.Fixtures;

namespace ModelGateway.Benchmarks;

/// <summary>
/// <c>--profile [Bare|CacheMiss|Logging|Listeners|Full|CacheHit] [seconds]</c>: calls the gateway set up as
/// <see cref="PipelineBreakdownBenchmarks"/> does (or, for <c>CacheHit</c>, answering from the cache with nothing listening) (non-streaming OpenAI call, in-memory handler) in a loop for the given
/// time (20 s by default) after a 5 s warm-up, and prints calls per second and bytes per call. It exists to be sampled
/// by a profiler, e.g. <c>DOTNET_PerfMapEnabled=1 perf record -e cpu-clock -g -p PID</c> during the loop, so that the
/// profile behind each number in docs/performance.md can be taken again. <c>--stream</c> makes each call a 200-chunk
/// stream (drained to its end) instead of a non-streaming call. With <c>--allocations</c> it
/// also prints which types the loop allocates: the runtime's allocation sampling (an event about every 100 KB, naming
/// the type that crossed the mark) counted per type, so each type's share of the events is its share of the bytes.
/// </summary>
internal static class ProfileLoop
{
    public static int Run(string[] args)
    {
        // "CacheHit": the short-prompt hit of CacheBenchmarks with nothing listening; otherwise a PipelineBreakdown setup.
        bool cacheHit = args.Length > 0 && args[0].Equals("CacheHit", StringComparison.OrdinalIgnoreCase);
        PipelineBreakdownBenchmarks.Concerns setup = args.Length > 0 && !cacheHit
            ? Enum.Parse<PipelineBreakdownBenchmarks.Concerns>(args[0], ignoreCase: true)
            : PipelineBreakdownBenchmarks.Concerns.Full;
        TimeSpan duration = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);

        bool stream = args.Contains("--stream");
        var handler = stream
            ? new FixedResponseHandler(RecordedResponses.OpenAIStream, eventStream: true)
            : new FixedResponseHandler(RecordedResponses.OpenAIChatCompletion, eventStream: false);
        CacheSetup cache = cacheHit ? CacheSetup.InMemory
            : setup is PipelineBreakdownBenchmarks.Concerns.CacheMiss or PipelineBreakdownBenchmarks.Concerns.Full ? CacheSetup.AlwaysMiss
            : CacheSetup.Disabled;
        using var host = new GatewayHost("openai", RecordedResponses.OpenAIModel, handler, cache,
            listeners: !cacheHit && setup is PipelineBreakdownBenchmarks.Concerns.Listeners or PipelineBreakdownBenchmarks.Concerns.Full,
            logging: !cacheHit && setup is PipelineBreakdownBenchmarks.Concerns.Logging or PipelineBreakdownBenchmarks.Concerns.Full);
        List<ChatMessage> messages = Conversation.Short();
        ChatOptions options = Conversation.Options();

        Loop(host.Gateway, messages, options, TimeSpan.FromSeconds(5), stream);
        Console.WriteLine($"pid {Environment.ProcessId}: {(cacheHit ? "CacheHit" : setup)}{(stream ? ", 200-chunk streams" : "")}, measuring for {duration.TotalSeconds:0} s");
        using AllocationCensus? census = args.Contains("--allocations") ? new AllocationCensus() : null;
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        long calls = Loop(host.Gateway, messages, options, duration, stream);
        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        Console.WriteLine($"{calls / duration.TotalSeconds:N0} calls/s, {1e6 * duration.TotalSeconds / calls:0.00} us/call, {(double)bytes / calls:N0} B/call");
        census?.Print((double)bytes / calls);
        return 0;
    }

    private static long Loop(IChatClient client, List<ChatMessage> messages, ChatOptions options, TimeSpan duration, bool stream)
    {
        if (stream)
        {
            return StreamLoop(client, messages, options, duration);
        }

        long calls = 0;
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            for (int i = 0; i < 1000; i++)
            {
                Task<ChatResponse> call = client.GetResponseAsync(messages, options);
                _ = call.IsCompleted ? call.Result : call.GetAwaiter().GetResult();
            }

            calls += 1000;
        }

        return calls;
    }

    private static long StreamLoop(IChatClient client, List<ChatMessage> messages, ChatOptions options, TimeSpan duration)
    {
        long calls = 0;
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            for (int i = 0; i < 20; i++)
            {
                Drain(client.GetStreamingResponseAsync(messages, options)).GetAwaiter().GetResult();
            }

            calls += 20;
        }

        return calls;
    }

    private static async Task<int> Drain(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        int count = 0;
        await foreach (ChatResponseUpdate update in updates.ConfigureAwait(false))
        {
            count += update.Contents.Count;
        }

        return count;
    }
}

/// <summary>Counts the runtime's allocation-sampling events (GCAllocationTick) per type name.</summary>
internal sealed class AllocationCensus : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private long _total;

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // Keyword 0x1 is GC; the allocation tick is a Verbose event.
            EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int typeIndex = eventData.PayloadNames!.IndexOf("TypeName");
        int amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        string type = typeIndex >= 0 ? eventData.Payload[typeIndex] as string ?? "?" : "?";
        long amount = amountIndex >= 0 ? Convert.ToInt64(eventData.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            _total += amount;
        }
    }

    public void Print(double bytesPerCall)
    {
        lock (_bytes)
        {
            Console.WriteLine("share  ~B/call  type");
            foreach (KeyValuePair<string, long> pair in _bytes.OrderByDescending(p => p.Value).Take(40))
            {
                double share = (double)pair.Value / _total;
                Console.WriteLine($"{share,5:P1}  {share * bytesPerCall,7:N0}  {pair.Key}");
            }
        }
    }
}
