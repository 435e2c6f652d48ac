using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Cost;
using ModelGateway.Governance;

namespace ModelGateway.Benchmarks;

/// <summary>
/// The "1 M calls across 100 k distinct users: flat memory after warm-up" target, as an explicit mode of the benchmark
/// program (it is a soak, not a micro-benchmark): <c>dotnet run -c Release --project benchmarks/ModelGateway.Benchmarks --
/// --memory-soak</c> (options: <c>--calls N</c>, <c>--users N</c>, <c>--clock-step-ms N</c>). The gateway runs with a per-user and a global rate
/// limit (requests and tokens), a per-user daily budget, cost tracking into the in-memory spend store and the routers'
/// latency and usage statistics, over a provider that answers at once. Users are called in turn; the gateway's clock
/// moves 1 ms per call by default (so limiter sweeps and idle releases happen as in production). The managed heap is
/// measured after full collections once every user has been seen twice (the warm-up) and every 10 % after, with the
/// number of spend keys, budget counters and rate-limit buckets the gateway holds. Stops by itself; exits 1 when the
/// heap's peak in the second half after warm-up exceeds the first half's by more than 5 % (and 1 MB).
/// </summary>
internal static class MemorySoak
{
    public static int Run(string[] args)
    {
        int calls = Option(args, "--calls", 1_000_000);
        int users = Option(args, "--users", 100_000);
        int warmup = Math.Min(calls / 2, 2 * users);
        var clockStep = TimeSpan.FromMilliseconds(Option(args, "--clock-step-ms", 1));

        var clock = new SoakClock(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        using ServiceProvider services = Build(clock);
        IChatClient gateway = services.GetRequiredService<IChatClient>();
        var spend = (InMemorySpendStore)services.GetRequiredService<ISpendStore>();
        GatewayBudgets budgets = services.GetRequiredService<GatewayBudgets>();
        GatewayRateLimits limits = services.GetRequiredService<GatewayRateLimits>();

        string[] ids = new string[users];
        for (int i = 0; i < users; i++)
        {
            ids[i] = "user-" + i.ToString("D6", CultureInfo.InvariantCulture);
        }

        List<ChatMessage> messages = Fixtures.Conversation.Short();
        Console.WriteLine($"memory soak: {calls:N0} calls, {users:N0} users, warm-up {warmup:N0} calls; clock +{clockStep.TotalMilliseconds} ms per call");
        Console.WriteLine("     calls | heap (MB) | spend keys | budget counters | rate-limit buckets | calls/s");
        long heapAfterWarmup = 0;
        var checkpoints = new List<long>();
        int step = Math.Max(1, calls / 10);
        var watch = Stopwatch.StartNew();
        int lastReported = 0;
        for (int call = 1; call <= calls; call++)
        {
            ChatOptions options = new ChatOptions().WithUser(ids[(call - 1) % users]);
            Task<ChatResponse> answer = gateway.GetResponseAsync(messages, options);
            if (!answer.IsCompletedSuccessfully)
            {
                answer.GetAwaiter().GetResult();
            }

            clock.Advance(clockStep);
            if (call == warmup || (call > warmup && (call - warmup) % step == 0) || call == calls)
            {
                double rate = (call - lastReported) / watch.Elapsed.TotalSeconds;
                long heap = Heap();
                Console.WriteLine($"{call,10:N0} | {heap / 1048576.0,9:F1} | {spend.KeyCount,10:N0} | {budgets.CounterCount,15:N0} | {limits.PartitionCount,18:N0} | {rate,7:N0}");
                if (call == warmup)
                {
                    heapAfterWarmup = heap;
                }

                if (call >= warmup)
                {
                    checkpoints.Add(heap);
                }

                lastReported = call;
                watch.Restart();
            }
        }

        // Limiter buckets are released and re-created in waves (a sweep a minute), so the heap saws up and down: compare
        // the peaks of the first and second half of the run after warm-up, not two arbitrary points.
        int half = checkpoints.Count / 2;
        long firstPeak = checkpoints.Take(Math.Max(1, half)).Max();
        long secondPeak = checkpoints.Skip(half).Max();
        long growth = secondPeak - firstPeak;
        bool flat = growth <= Math.Max(1 << 20, firstPeak / 20);
        Console.WriteLine(
            $"after warm-up {heapAfterWarmup / 1048576.0:F1} MB; peak in the first half {firstPeak / 1048576.0:F1} MB, in the second half " +
            $"{secondPeak / 1048576.0:F1} MB (growth {growth / 1048576.0:+0.0;-0.0} MB): " + (flat ? "flat" : "GROWING"));
        return flat ? 0 : 1;
    }

    private static ServiceProvider Build(TimeProvider clock)
    {
        const string Json = """
            {
              "ModelGateway": {
                "DefaultModel": "chat",
                "Providers": { "instant": { "Type": "instant" } },
                "Models": { "chat": { "Routing": "LowestLatency", "Deployments": [
                  { "Provider": "instant", "Model": "m1", "Pricing": { "InputPerMillion": 0.15, "OutputPerMillion": 0.6 } },
                  { "Provider": "instant", "Model": "m2", "Pricing": { "InputPerMillion": 0.25, "OutputPerMillion": 1.0 } } ] } },
                "Cache": { "Enabled": false },
                "RateLimits": [
                  { "Scope": "User", "Key": "*", "RequestsPerMinute": 600, "TokensPerMinute": 1000000 },
                  { "Scope": "Global", "RequestsPerMinute": 100000000, "TokensPerMinute": 2000000000 } ],
                "Budgets": [ { "Scope": "User", "Key": "*", "LimitUsd": 100, "Period": "Daily" } ]
              }
            }
            """;
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddModelGateway(configuration.GetSection("ModelGateway"))
            .AddProviderType("instant", static (_, _) => new InstantChatClient());
        return services.BuildServiceProvider();
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>A clock moved by the soak; its timers never fire (no attempt ever times out here).</summary>
    private sealed class SoakClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => start.AddTicks(Volatile.Read(ref _ticks));

        public override long GetTimestamp() => Volatile.Read(ref _ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new IdleTimer();

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        private sealed class IdleTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>Answers at once with a new response (as a provider does) that reports usage, so every call is priced.</summary>
    private sealed class InstantChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
            {
                ModelId = options?.ModelId,
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 30, OutputTokenCount = 5, TotalTokenCount = 35 },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
