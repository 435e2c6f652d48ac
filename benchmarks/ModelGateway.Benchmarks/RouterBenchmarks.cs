using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;

namespace ModelGateway.Benchmarks;

/// <summary>
/// The router alone (the innermost gateway client: selection, attempt bookkeeping, observers for cost and telemetry,
/// no listeners) in front of providers that answer at once, for every strategy, 2 and 50 deployments, and 1, 2 and 8
/// callers calling at the same time. Each operation is one routed call; <see cref="CallsPerInvocation"/> calls are
/// split between the callers, so contention (a lock convoy) shows as time per call growing with callers.
/// </summary>
[Config(typeof(WarmShortConfig))]
public class RouterBenchmarks
{
    public const int CallsPerInvocation = 4096;

    private ServiceProvider _services = null!;
    private IChatClient _router = null!;
    private List<ChatMessage> _messages = null!;

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
        json.Append("{\"ModelGateway\":{\"DefaultModel\":\"chat\",\"Providers\":{\"instant\":{\"Type\":\"instant\"}},\"Models\":{\"chat\":{\"Routing\":\"")
            .Append(Strategy).Append("\",\"Deployments\":[");
        for (int i = 0; i < Deployments; i++)
        {
            json.Append(i == 0 ? string.Empty : ",")
                .Append("{\"Provider\":\"instant\",\"Model\":\"m").Append(i)
                .Append("\",\"Weight\":").Append(1 + (i % 3))
                .Append(",\"Pricing\":{\"InputPerMillion\":").Append(0.1 + i).Append(",\"OutputPerMillion\":").Append(0.4 + i).Append("}}");
        }

        json.Append("]}}}}");
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString()))).Build();
        var services = new ServiceCollection();
        services.AddModelGateway(configuration.GetSection("ModelGateway"))
            .AddProviderType("instant", static (_, _) => new InstantChatClient());
        _services = services.BuildServiceProvider();
        _router = _services.GetRequiredService<GatewayRuntime>().Router;
        _messages = Fixtures.Conversation.Short();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(OperationsPerInvoke = CallsPerInvocation, Description = "routed call")]
    public void RoutedCall()
    {
        if (Callers == 1)
        {
            Run(CallsPerInvocation);
            return;
        }

        var threads = new Thread[Callers];
        int calls = CallsPerInvocation / Callers;
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() => Run(calls));
            threads[i].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }

    private void Run(int calls)
    {
        var options = new ChatOptions { ModelId = "chat" };
        for (int i = 0; i < calls; i++)
        {
            Task<ChatResponse> call = _router.GetResponseAsync(_messages, options);
            if (!call.IsCompletedSuccessfully)
            {
                call.GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>A provider that answers at once with the same response: only the router's own cost is left.</summary>
    private sealed class InstantChatClient : IChatClient
    {
        private static readonly Task<ChatResponse> s_answer = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            ModelId = "m0",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 2, TotalTokenCount = 22 },
        });

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => s_answer;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
