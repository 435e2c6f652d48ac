using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Gemini.GeminiTestClient;

namespace ModelGateway.Tests.Providers.Gemini;

public sealed class GeminiStreamingTests
{
    [Fact]
    public async Task GetStreamingResponseAsync_TextChunks_YieldsDeltasThenFinishAndUsage()
    {
        await using LoopbackServer server = await ServeSseAsync(
            """{"candidates": [{"content": {"parts": [{"text": "Hello"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 5,"totalTokenCount": 5},"modelVersion": "gemini-2.5-flash","responseId": "abc"}""",
            """{"candidates": [{"content": {"parts": [{"text": " world"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 5,"candidatesTokenCount": 2,"totalTokenCount": 7},"modelVersion": "gemini-2.5-flash","responseId": "abc"}""");
        using IChatClient client = CreateGemini(server);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
        {
            updates.Add(update);
        }

        Assert.Equal(["Hello", " world"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        ChatResponseUpdate last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("Hello world", response.Text);
        Assert.Equal("abc", response.ResponseId);
        Assert.Equal(5, response.Usage!.InputTokenCount);
        Assert.Equal(2, response.Usage.OutputTokenCount);
        Assert.Equal(7, response.Usage.TotalTokenCount);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FunctionCall_YieldsParsedCallAndToolCallsFinish()
    {
        await using LoopbackServer server = await ServeSseAsync(
            """{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"Cr8B"}]},"index":0}],"responseId":"r2"}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":6,"totalTokenCount":26},"responseId":"r2"}""");
        using IChatClient client = CreateGemini(server);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Weather?", Options()))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        FunctionCallContent call = Assert.Single(Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal("Cr8B", call.AdditionalProperties!["thoughtSignature"]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorChunkMidStream_ThrowsClassifiedProviderException()
    {
        await using LoopbackServer server = await ServeSseAsync(
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]},"index":0}]}""",
            """{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}""");
        using IChatClient client = CreateGemini(server);

        List<string> texts = [];
        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(["Hel"], texts);
        Assert.Equal(ProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal("UNAVAILABLE", ex.ProviderErrorCode);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_PromptBlocked_ThrowsContentFilteredBeforeAnyUpdate()
    {
        await using LoopbackServer server = await ServeSseAsync("""{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}""");
        using IChatClient client = CreateGemini(server);

        int updates = 0;
        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
                updates++;
            }
        });

        Assert.Equal(0, updates);
        Assert.Equal(ProviderErrorKind.ContentFiltered, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EndsWithoutFinishReason_ThrowsInvalidResponse()
    {
        await using LoopbackServer server = await ServeSseAsync("""{"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]},"index":0}]}""");
        using IChatClient client = CreateGemini(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CorruptChunk_ThrowsInvalidResponse()
    {
        await using LoopbackServer server = await ServeSseAsync("""{"candidates":[{"content":{"role":"model","parts":[{"text":"Hel""");
        using IChatClient client = CreateGemini(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsEnumerating_ClosesConnection()
    {
        LoopbackServer server = null!;
        server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"first\"}]}}]}\r\n\r\n");
            await context.Response.Body.FlushAsync();
            await server.ClientDisconnected.Task;
        });
        await using (server)
        {
            using IChatClient client = CreateVertex(server);

            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
                Assert.Equal("first", update.Text);
                break;
            }

            await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
