using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelGateway.Benchmarks.Fixtures;
using Perfolizer.Horology;

namespace ModelGateway.Benchmarks;

/// <summary>
/// Added latency on loopback, one caller: a real Kestrel server on 127.0.0.1 (ephemeral port, in this process) answers
/// every POST with the recorded ~1 KB Chat Completions body, over a real TCP connection (keep-alive) from a real
/// <see cref="SocketsHttpHandler"/>. Baseline: a raw <see cref="HttpClient"/> POST of the exact JSON body our OpenAI
/// provider sends, reading the answer as bytes. Then our OpenAI provider alone, then the full gateway (router with
/// retries armed, cache miss and write, cost, logging at Information, trace and metric listeners). All three go
/// through the same handler chain (a handler that points the request at the loopback server, then the socket handler),
/// so "gateway − raw POST" is what the gateway adds (target: ≤ 20 µs at the median).
/// </summary>
[Config(typeof(LoopbackConfig))]
public class LoopbackLatencyBenchmarks
{
    private WebApplication _server = null!;
    private SocketsHttpHandler _sockets = null!;
    private LoopbackRedirectHandler _handler = null!;
    private HttpClient _raw = null!;
    private GatewayHost _host = null!;
    private byte[] _requestBody = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _directOptions = null!;
    private ChatOptions _gatewayOptions = null!;

    [GlobalSetup]
    public void Setup() => Setup(PipelineBreakdownBenchmarks.Concerns.Full);

    /// <summary>Sets up the server and clients, the gateway with what <paramref name="setup"/> names (as <see cref="PipelineBreakdownBenchmarks"/>).</summary>
    public void Setup(PipelineBreakdownBenchmarks.Concerns setup)
    {
        _server = StartServer();
        var address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _sockets = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
        _handler = new LoopbackRedirectHandler(address, _sockets);
        _host = new GatewayHost("openai", RecordedResponses.OpenAIModel, _handler,
            setup is PipelineBreakdownBenchmarks.Concerns.CacheMiss or PipelineBreakdownBenchmarks.Concerns.Full ? CacheSetup.AlwaysMiss : CacheSetup.Disabled,
            listeners: setup is PipelineBreakdownBenchmarks.Concerns.Listeners or PipelineBreakdownBenchmarks.Concerns.Full,
            logging: setup is PipelineBreakdownBenchmarks.Concerns.Logging or PipelineBreakdownBenchmarks.Concerns.Full);
        _raw = new HttpClient(_handler, disposeHandler: false);
        _messages = Conversation.Short();
        _directOptions = Conversation.Options();
        _directOptions.ModelId = RecordedResponses.OpenAIModel;
        _gatewayOptions = Conversation.Options();

        // The raw POST sends byte for byte what the provider sends.
        _handler.Capture = true;
        _host.Direct.GetResponseAsync(_messages, _directOptions).GetAwaiter().GetResult();
        _handler.Capture = false;
        _requestBody = _handler.Captured ?? throw new InvalidOperationException("The provider sent no body.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _host.Dispose();
        _handler.Dispose(); // and the socket handler inside it
        _server.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_server).Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient POST")]
    public async Task<int> RawPost()
    {
        using var content = new ByteArrayContent(_requestBody);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.openai.com/v1/chat/completions") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.ApiKey);
        using HttpResponseMessage response = await _raw.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return body.Length;
    }

    [Benchmark(Description = "OpenAI provider, direct")]
    public async Task<int> ProviderDirect() =>
        (await _host.Direct.GetResponseAsync(_messages, _directOptions).ConfigureAwait(false)).Text.Length;

    [Benchmark(Description = "gateway, full pipeline")]
    public async Task<int> GatewayFullPipeline() =>
        (await _host.Gateway.GetResponseAsync(_messages, _gatewayOptions).ConfigureAwait(false)).Text.Length;

    private static WebApplication StartServer()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        byte[] body = RecordedResponses.OpenAIChatCompletion;
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        });
        app.StartAsync().GetAwaiter().GetResult();
        return app;
    }

    /// <summary>
    /// The short job's six measured iterations, after 40 warm-up iterations (about 6 s) instead of 2: the gateway's path
    /// runs many more methods than a raw POST, and tiered compilation (tier 0, then instrumented, then optimised with
    /// dynamic PGO) needs seconds of calls to finish them all; with 2 warm-up iterations the gateway row measured
    /// half-compiled code while the raw POST was already optimised. Plus the median and 95th percentile of the iterations.
    /// </summary>
    private sealed class LoopbackConfig : ManualConfig
    {
        public LoopbackConfig()
        {
            Add(DefaultConfig.Instance);
            AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(40)
                .WithIterationCount(6)
                .WithIterationTime(TimeInterval.FromMilliseconds(150))
                .WithId("ShortWarm"));
            AddDiagnoser(MemoryDiagnoser.Default);
            AddColumn(RankColumn.Arabic);
            AddColumn(StatisticColumn.Median, StatisticColumn.P95);
            SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
            WithOptions(ConfigOptions.DisableLogFile);
        }
    }

    /// <summary>Sends every request to the loopback server (same path), whatever host the client addressed.</summary>
    private sealed class LoopbackRedirectHandler(Uri server, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public bool Capture { get; set; }

        public byte[]? Captured { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(server, request.RequestUri!.PathAndQuery);
            if (Capture && request.Content is { } content)
            {
                Captured = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var copy = new ByteArrayContent(Captured);
                foreach (KeyValuePair<string, IEnumerable<string>> header in content.Headers)
                {
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = copy;
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
