using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Anthropic;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.Anthropic;

/// <summary>Builds the anthropic provider client the way the gateway does, pointed at a loopback server.</summary>
internal static class AnthropicTestClient
{
    public const string ApiKey = "sk-ant-test-secret-0123456789";

    public static IChatClient Create(LoopbackServer server, Action<ProviderOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        var options = new ProviderOptions { Name = "claude", Type = "anthropic", ApiKey = ApiKey, BaseUrl = server.BaseAddress.ToString() };
        configure?.Invoke(options);
        return AnthropicChatClient.Create(services.BuildServiceProvider(), options);
    }

    public static ChatOptions Options(string model = "claude-sonnet-4-5") => new() { ModelId = model };

    public static Task<LoopbackServer> ServeJsonAsync(string json, int status = 200, Action<HttpResponse>? headers = null) =>
        LoopbackServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            headers?.Invoke(context.Response);
            await context.Response.WriteAsync(json);
        });

    public static Task<LoopbackServer> ServeSseAsync(string sse) =>
        LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(sse);
        });

    /// <summary>Builds an SSE body from (event, data) pairs the way Anthropic frames them.</summary>
    public static string Sse(params (string Event, string Data)[] events)
    {
        var builder = new System.Text.StringBuilder();
        foreach ((string name, string data) in events)
        {
            builder.Append("event: ").Append(name).Append('\n').Append("data: ").Append(data).Append("\n\n");
        }

        return builder.ToString();
    }

    public static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected:\n{JsonNode.Parse(expected)}\nActual:\n{JsonNode.Parse(actual)}");

    public const string TextAnswer = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Hello there."}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":4}}
        """;
}
