using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

public sealed class OpenAIChatClientResponseTests
{
    [Fact]
    public async Task GetResponseAsync_PlainAnswer_MapsTextIdsModelTimeUsageAndRaw()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Completion("Hello there")));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model());

        Assert.Equal("Hello there", response.Text);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        Assert.Equal("chatcmpl-1", response.ResponseId);
        Assert.Equal("gpt-4o-2024-08-06", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1727346171), response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.Equal(79, response.Usage.InputTokenCount);
        Assert.Equal(12, response.Usage.OutputTokenCount);
        Assert.Equal(91, response.Usage.TotalTokenCount);
        Assert.Equal(64, response.Usage.CachedInputTokenCount);
        Assert.Equal(5, response.Usage.ReasoningTokenCount);
        Assert.NotNull(response.RawRepresentation);
    }

    [Fact]
    public async Task GetResponseAsync_ToolCalls_ParsesArguments()
    {
        const string body = """
            {"id":"chatcmpl-2","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,
             "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"}},
                           {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]},"finish_reason":"tool_calls"}]}
            """;
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(body));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model());

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        FunctionCallContent[] calls = [.. response.Messages[0].Contents.OfType<FunctionCallContent>()];
        Assert.Equal(2, calls.Length);
        Assert.Equal("call_1", calls[0].CallId);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.Equal("Paris", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal(3, ((JsonElement)calls[0].Arguments!["days"]!).GetInt32());
        Assert.Equal("get_time", calls[1].Name);
        Assert.Empty(calls[1].Arguments!);
        Assert.Null(response.Usage);
    }

    [Fact]
    public async Task GetResponseAsync_Refusal_BecomesRefusalErrorContent()
    {
        const string body = """
            {"id":"chatcmpl-3","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}
            """;
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(body));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model());

        ErrorContent refusal = Assert.IsType<ErrorContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("I can't help with that.", refusal.Message);
        Assert.Equal("Refusal", refusal.ErrorCode);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TextStream_YieldsDeltasFinishReasonAndUsageLast()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(
            Chunk("""{"role":"assistant","content":""}"""),
            ": keep-alive",
            Chunk("""{"content":"Hel"}"""),
            Chunk("""{"content":"lo"}"""),
            Chunk("{}", "stop"),
            UsageChunk,
            "[DONE]"));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(5, updates.Count);
        Assert.Equal("Hello", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal("chatcmpl-A", u.ResponseId));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.Equal(ChatFinishReason.Stop, updates[3].FinishReason);
        UsageContent usage = Assert.IsType<UsageContent>(Assert.Single(updates[^1].Contents));
        Assert.Equal(149, usage.Details.InputTokenCount);
        Assert.Equal(60, usage.Details.OutputTokenCount);
        Assert.Equal(209, usage.Details.TotalTokenCount);
        Assert.Equal(100, usage.Details.CachedInputTokenCount);
        Assert.Equal(7, usage.Details.ReasoningTokenCount);
        ChatResponse combined = updates.ToChatResponse();
        Assert.Equal("Hello", combined.Text);
        Assert.Equal(209, combined.Usage?.TotalTokenCount);
        Assert.Equal("gpt-4o-2024-08-06", combined.ModelId);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ChunksArriveOneByOne_YieldsEachBeforeTheNextIsSent()
    {
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: " + Chunk("""{"role":"assistant","content":"first"}""") + "\n\n");
            await context.Response.Body.FlushAsync();
            await firstSeen.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("data: " + Chunk("""{"content":" second"}""", "stop") + "\n\ndata: [DONE]\n\n");
        });
        using IChatClient client = OpenAIClient(server.BaseAddress);
        var texts = new List<string>();

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()))
        {
            texts.Add(update.Text);
            firstSeen.TrySetResult();
        }

        Assert.Equal(["first", " second"], texts);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCallsSplitAcrossDeltas_AssemblesThemByIndex()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(
            Chunk("""{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_A","type":"function","function":{"name":"get_weather","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"id":"call_B","type":"function","function":{"name":"get_time","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"{\"zone\":"}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"ty\":"}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"\"CET\"}"}}]}"""),
            Chunk("{}", "tool_calls"),
            UsageChunk,
            "[DONE]"));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        ChatResponseUpdate finish = Assert.Single(updates, u => u.FinishReason is not null);
        Assert.Equal(ChatFinishReason.ToolCalls, finish.FinishReason);
        FunctionCallContent[] calls = [.. updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>()];
        Assert.Equal(2, calls.Length);
        Assert.Equal(("call_A", "get_weather"), (calls[0].CallId, calls[0].Name));
        Assert.Equal("Paris", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal(("call_B", "get_time"), (calls[1].CallId, calls[1].Name));
        Assert.Equal("CET", ((JsonElement)calls[1].Arguments!["zone"]!).GetString());
        Assert.Null(calls[0].Exception);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsSlowStream_ThrowsCanceledAndClosesConnection()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: " + Chunk("""{"role":"assistant","content":"first"}""") + "\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using IChatClient client = OpenAIClient(server.BaseAddress);
        using var cancellation = new CancellationTokenSource();
        await using IAsyncEnumerator<ChatResponseUpdate> updates = client
            .GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model(), cancellation.Token)
            .GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal("first", updates.Current.Text);

        ValueTask<bool> next = updates.MoveNextAsync();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsEnumerating_ClosesConnection()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: " + Chunk("""{"role":"assistant","content":"first"}""") + "\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using IChatClient client = OpenAIClient(server.BaseAddress);

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()))
        {
            Assert.Equal("first", update.Text);
            break;
        }

        await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RefusalDeltas_BecomeOneRefusalContent()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(
            Chunk("""{"role":"assistant","content":null,"refusal":"I can't"}"""),
            Chunk("""{"refusal":" help."}"""),
            Chunk("{}", "stop"),
            "[DONE]"));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        ErrorContent refusal = Assert.Single(updates.SelectMany(u => u.Contents).OfType<ErrorContent>());
        Assert.Equal("I can't help.", refusal.Message);
        Assert.Equal("Refusal", refusal.ErrorCode);
    }

}
