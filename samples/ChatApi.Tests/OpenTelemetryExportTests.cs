using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatApi.Tests;

public sealed class OpenTelemetryExportTests
{
    [Fact]
    public async Task WithAnOtlpEndpoint_TracesAndMetricsAreExported()
    {
        // A stand-in OTLP/HTTP collector on loopback that records what it receives.
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        WebApplicationBuilder collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        collectorBuilder.Logging.ClearProviders();
        await using WebApplication collector = collectorBuilder.Build();
        collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value!, body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await collector.StartAsync();
        string collectorAddress = collector.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

        ChatApiHost host = await ChatApiHost.StartAsync(ChatApiHost.DefaultConfiguration, settings: new Dictionary<string, string?>
        {
            ["OpenTelemetry:OtlpEndpoint"] = collectorAddress,
            ["OpenTelemetry:OtlpProtocol"] = "http/protobuf",
            ["OpenTelemetry:ServiceName"] = "chatapi-under-test",
        });
        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await host.DisposeAsync(); // shutting down flushes both providers

        // The gateway's own ActivitySource and Meter (both "ModelGateway") are exported, with the GenAI conventions' names.
        Assert.Contains(received, r => r.Path == "/v1/traces" && Contains(r.Body, "chatapi-under-test")
            && Contains(r.Body, "ModelGateway") && Contains(r.Body, "gen_ai.operation.name"));
        Assert.Contains(received, r => r.Path == "/v1/metrics" && Contains(r.Body, "chatapi-under-test")
            && Contains(r.Body, "ModelGateway") && Contains(r.Body, "gen_ai.client.operation.duration"));
    }

    [Fact]
    public async Task WithoutAnEndpoint_NoTelemetryProviderIsRegistered()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        Assert.Null(host.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.Null(host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
