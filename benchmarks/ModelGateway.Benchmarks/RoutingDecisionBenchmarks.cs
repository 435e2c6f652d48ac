using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Routing;

namespace ModelGateway.Benchmarks;

/// <summary>
/// The routing decision alone, for the "≤ 100 ns, no lock convoy" target: no provider call, no observers, no attempt
/// bookkeeping. <see cref="Select"/> is <see cref="DeploymentSelector"/> choosing among the group's deployments (what a
/// strategy costs); <see cref="PlanFirstAttempt"/> is what the router does per request before calling anyone: a new
/// <see cref="AttemptPlanner"/> and its first <c>TryNext</c> (cooldown, pre-call checks, selection). Every strategy, 2 and
/// 50 deployments, 1, 2 and 8 callers deciding at once: each operation is one decision, and a convoy shows as time per
/// decision growing with callers (on a two-core machine, 8 callers share 2 cores, so up to 4× per caller is the
/// machine, not a lock). The live state the strategies read is seeded so every strategy takes its full path
/// (latencies measured, usage this minute, prices).
/// </summary>
[Config(typeof(ShortConfig))]
public class RoutingDecisionBenchmarks
{
    public const int DecisionsPerInvocation = 1 << 16;

    private ServiceProvider _services = null!;
    private CallerGroup _callers = null!;
    private RoutingTable _table = null!;
    private ModelGroup _group = null!;
    private ResilienceOptions _resilience = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private Action<int> _select = null!;
    private Action<int> _plan = null!;

    [Params(RoutingStrategy.Weighted, RoutingStrategy.RoundRobin, RoutingStrategy.Priority, RoutingStrategy.LeastBusy,
        RoutingStrategy.LowestLatency, RoutingStrategy.LowestCost, RoutingStrategy.UsageBased)]
    public RoutingStrategy Strategy { get; set; }

    [Params(2, 50)]
    public int Deployments { get; set; }

    [Params(1, 2, 8)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var json = new StringBuilder();
        json.Append("{\"ModelGateway\":{\"DefaultModel\":\"chat\",\"Providers\":{\"none\":{\"Type\":\"none\"}},\"Models\":{\"chat\":{\"Routing\":\"")
            .Append(Strategy).Append("\",\"Deployments\":[");
        for (int i = 0; i < Deployments; i++)
        {
            json.Append(i == 0 ? string.Empty : ",")
                .Append("{\"Provider\":\"none\",\"Model\":\"m").Append(i)
                .Append("\",\"Weight\":").Append(1 + (i % 3))
                .Append(",\"Rpm\":1000000,\"Tpm\":1000000000")
                .Append(",\"Pricing\":{\"InputPerMillion\":").Append(0.1 + i).Append(",\"OutputPerMillion\":").Append(0.4 + i).Append("}}");
        }

        json.Append("]}}}}");
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString()))).Build();
        var services = new ServiceCollection();
        services.AddModelGateway(configuration.GetSection("ModelGateway"))
            .AddProviderType("none", static (_, _) => new NoChatClient());
        _services = services.BuildServiceProvider();
        GatewayRuntime runtime = _services.GetRequiredService<GatewayRuntime>();
        _table = runtime.Table;
        _group = _table.Resolve("chat");
        _resilience = _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ModelGatewayOptions>>().Value.Resilience;
        _messages = Fixtures.Conversation.Short();
        _options = Fixtures.Conversation.Options();

        // Live state as a running gateway has it: every latency measured, some usage this minute.
        long minute = MinuteUsage.MinuteOf(TimeProvider.System.GetUtcNow().UtcTicks);
        for (int i = 0; i < _group.Deployments.Length; i++)
        {
            Deployment deployment = _group.Deployments[i];
            deployment.ResponseLatency.Record(TimeSpan.FromMilliseconds(200 + (37 * i % 101)));
            deployment.FirstChunkLatency.Record(TimeSpan.FromMilliseconds(80 + (53 * i % 67)));
            deployment.Usage.AddRequest(minute, 100 * (i % 7));
        }

        _callers = new CallerGroup(Callers);
        int perCaller = DecisionsPerInvocation / Callers;
        _select = _ => SelectMany(perCaller);
        _plan = _ => PlanMany(perCaller);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _callers.Dispose();
        _services.Dispose();
    }

    [Benchmark(OperationsPerInvoke = DecisionsPerInvocation, Description = "DeploymentSelector.Select")]
    public void Select() => _callers.Run(_select);

    [Benchmark(OperationsPerInvoke = DecisionsPerInvocation, Description = "planner: first attempt")]
    public void PlanFirstAttempt() => _callers.Run(_plan);

    private void SelectMany(int count)
    {
        Deployment[] deployments = _group.Deployments;
        Span<bool> excluded = stackalloc bool[deployments.Length];
        long minute = MinuteUsage.MinuteOf(TimeProvider.System.GetUtcNow().UtcTicks);
        var input = new SelectionInput(Random.Shared, 40, 256, streaming: false, minute);
        int sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += DeploymentSelector.Select(_group, deployments, excluded, input);
        }

        if (sum < 0)
        {
            throw new InvalidOperationException("no deployment chosen");
        }
    }

    private void PlanMany(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var planner = new AttemptPlanner(_group, _table, _resilience, Random.Shared, TimeProvider.System, TimeProvider.System.GetTimestamp(), _messages, _options, streaming: false);
            if (!planner.TryNext(out _))
            {
                throw new InvalidOperationException("no attempt planned");
            }
        }
    }

    /// <summary>Never called: the benchmark stops at the decision.</summary>
    private sealed class NoChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
