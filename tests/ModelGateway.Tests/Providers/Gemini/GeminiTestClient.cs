using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Gemini;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.Gemini;

/// <summary>Builds the gemini and vertex-ai provider clients the way the gateway does, pointed at a loopback server.</summary>
internal static class GeminiTestClient
{
    public const string ApiKey = "AIza-test-secret-0123456789";

    public static IChatClient CreateGemini(LoopbackServer server, Action<ProviderOptions>? configure = null)
    {
        var options = new ProviderOptions { Name = "gem", Type = "gemini", ApiKey = ApiKey, BaseUrl = server.BaseAddress.ToString() };
        configure?.Invoke(options);
        return GeminiChatClient.CreateGemini(Services(), options);
    }

    public static IChatClient CreateVertex(LoopbackServer? server, Action<ProviderOptions>? configure = null)
    {
        var options = new ProviderOptions
        {
            Name = "vertex",
            Type = "vertex-ai",
            Project = "my-project",
            Location = "us-central1",
            AccessToken = "ya29.test-token",
            BaseUrl = server?.BaseAddress.ToString(),
        };
        configure?.Invoke(options);
        return GeminiChatClient.CreateVertex(Services(), options);
    }

    public static ChatOptions Options(string model = "gemini-2.5-flash") => new() { ModelId = model };

    public static Task<LoopbackServer> ServeJsonAsync(string json, int status = 200, Action<HttpResponse>? headers = null) =>
        LoopbackServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            headers?.Invoke(context.Response);
            await context.Response.WriteAsync(json);
        });

    /// <summary>Serves the chunks as Gemini does: <c>data:</c> lines with CRLF line endings and no end sentinel.</summary>
    public static Task<LoopbackServer> ServeSseAsync(params string[] chunks) =>
        LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (string chunk in chunks)
            {
                await context.Response.WriteAsync("data: " + chunk + "\r\n\r\n");
            }
        });

    public static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected:\n{JsonNode.Parse(expected)}\nActual:\n{JsonNode.Parse(actual)}");

    public const string TextAnswer = """
        {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello there."}]},"finishReason":"STOP","index":0,
           "safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"}]}],
         "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":8,"promptTokensDetails":[{"modality":"TEXT","tokenCount":5}]},
         "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}
        """;

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        return services.BuildServiceProvider();
    }
}
