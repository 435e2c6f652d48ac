using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers;

namespace ModelGateway.Tests.Providers.OpenAI;

/// <summary>Builds provider clients the way the gateway does (registry + IHttpClientFactory) and scripts loopback answers.</summary>
internal static class OpenAITestHost
{
    public const string Key = "sk-test-0123456789abcdef";

    public static IChatClient CreateClient(string type, ProviderOptions options, TimeProvider? timeProvider = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        options.Type = type;
        if (string.IsNullOrEmpty(options.Name))
        {
            options.Name = "test-" + type;
        }

        return new ProviderTypeRegistry().Create(services.BuildServiceProvider(), options);
    }

    public static IChatClient OpenAIClient(Uri baseAddress, Action<ProviderOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new ProviderOptions { ApiKey = Key, BaseUrl = baseAddress + "v1" };
        configure?.Invoke(options);
        return CreateClient("openai", options, timeProvider);
    }

    public static ChatOptions Model(string model = "gpt-4o") => new() { ModelId = model };

    public static Func<HttpContext, Task> Json(string body, int status = 200, Action<HttpResponse>? headers = null) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        headers?.Invoke(context.Response);
        await context.Response.WriteAsync(body);
    };

    public static Func<HttpContext, Task> Sse(params string[] events) => async context =>
    {
        context.Response.ContentType = "text/event-stream";
        foreach (string data in events)
        {
            await context.Response.WriteAsync(data.StartsWith(':') ? data + "\n\n" : "data: " + data + "\n\n");
            await context.Response.Body.FlushAsync();
        }
    };

    public static string Completion(string content = "Hello there", string finishReason = "stop") =>
        """{"id":"chatcmpl-1","object":"chat.completion","created":1727346171,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"""
        + JsonSerializer.Serialize(content)
        + ""","refusal":null},"logprobs":null,"finish_reason":""" + "\"" + finishReason + "\""
        + """}],"usage":{"prompt_tokens":79,"completion_tokens":12,"total_tokens":91,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":5}}}""";

    public static string Chunk(string deltaJson, string? finishReason = null) =>
        """{"id":"chatcmpl-A","object":"chat.completion.chunk","created":1727346178,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":"""
        + deltaJson + ""","logprobs":null,"finish_reason":""" + (finishReason is null ? "null" : "\"" + finishReason + "\"") + "}],\"usage\":null}";

    public const string UsageChunk =
        """{"id":"chatcmpl-A","object":"chat.completion.chunk","created":1727346178,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":149,"completion_tokens":60,"total_tokens":209,"prompt_tokens_details":{"cached_tokens":100},"completion_tokens_details":{"reasoning_tokens":7}}}""";


    public static JsonElement BodyJson(this ModelGateway.Tests.TestUtilities.RecordedRequest request)
    {
        using JsonDocument document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    public static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
