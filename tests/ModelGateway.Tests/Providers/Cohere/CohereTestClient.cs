using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Cohere;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.Cohere;

/// <summary>Builds the cohere provider client the way the gateway does, pointed at a loopback server.</summary>
internal static class CohereTestClient
{
    public const string ApiKey = "co-test-secret-0123456789";

    public static IChatClient Create(LoopbackServer server, Action<ProviderOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        var options = new ProviderOptions { Name = "co", Type = "cohere", ApiKey = ApiKey, BaseUrl = server.BaseAddress.ToString() };
        configure?.Invoke(options);
        return CohereChatClient.Create(services.BuildServiceProvider(), options);
    }

    public static ChatOptions Options(string model = "command-a-03-2025") => new() { ModelId = model };

    public static Task<LoopbackServer> ServeJsonAsync(string json, int status = 200) =>
        LoopbackServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        });

    /// <summary>Serves events as Cohere frames them: <c>event:</c> = the JSON <c>type</c>.</summary>
    public static Task<LoopbackServer> ServeSseAsync(params string[] events) =>
        LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (string data in events)
            {
                string type = JsonNode.Parse(data)!["type"]!.GetValue<string>();
                await context.Response.WriteAsync($"event: {type}\ndata: {data}\n\n");
            }
        });

    public static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected:\n{JsonNode.Parse(expected)}\nActual:\n{JsonNode.Parse(actual)}");

    public const string TextAnswer = """
        {"id":"c14c80c3-18eb-4519-9460-6c92edd8cfb4","finish_reason":"COMPLETE",
         "message":{"role":"assistant","content":[{"type":"text","text":"Hello there."}]},
         "usage":{"billed_units":{"input_tokens":5,"output_tokens":3},"tokens":{"input_tokens":71,"output_tokens":3}}}
        """;
}
