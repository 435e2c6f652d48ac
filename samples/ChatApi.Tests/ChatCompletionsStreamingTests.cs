using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway;

namespace ChatApi.Tests;

public sealed class ChatCompletionsStreamingTests
{
    [Fact]
    public async Task Streaming_SendsChunksAsSse_EndingWithDone()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 3 };
        host.Fakes["primary"].RespondStreaming("Hel", "lo", " world");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        List<string> events = Http.SseData(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        List<JsonElement> chunks = [.. events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement.Clone())];
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());

        JsonElement[] content = [.. chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1)];
        Assert.Equal("assistant", content[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("Hello world", string.Concat(content.Select(c =>
            c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out JsonElement t) ? t.GetString() : "")));
        Assert.All(content[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
        Assert.Equal("stop", content[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        JsonElement usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(5, usage.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(Assert.Single(host.Fakes["primary"].Requests).IsStreaming);
    }

    [Fact]
    public async Task Streaming_WithoutIncludeUsage_SendsNoUsageChunk()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].RespondStreaming("a", "b");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        List<string> events = Http.SseData(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events.SkipLast(1), e => Assert.False(JsonDocument.Parse(e).RootElement.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task Streaming_ToolCalls_ArriveAsToolCallDeltas()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Respond(new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent("call_9", "lookup", new Dictionary<string, object?> { ["id"] = 42 })]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
        });

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","stream":true,"messages":[{"role":"user","content":"find 42"}],"tools":[{"type":"function","function":{"name":"lookup"}}]}""");

        List<JsonElement> chunks = [.. Http.SseData(await response.Content.ReadAsStringAsync()).SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement.Clone())];
        JsonElement call = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out _)).Single().GetProperty("tool_calls")[0];
        Assert.Equal(0, call.GetProperty("index").GetInt32());
        Assert.Equal("call_9", call.GetProperty("id").GetString());
        Assert.Equal("lookup", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(42, JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("id").GetInt32());
        Assert.Equal("tool_calls", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Streaming_FailureBeforeTheFirstChunk_IsAnOrdinaryErrorResponse()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(ProviderErrorKind.Timeout);
        host.Fakes["backup"].Fail(ProviderErrorKind.Timeout);

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("timeout", (await response.ReadJsonAsync()).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Streaming_PrimaryFailsBeforeTheFirstChunk_FallbackStreams()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(ProviderErrorKind.Unavailable, 503);
        host.Fakes["backup"].RespondStreaming("saved");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"content\":\"saved\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_FailureAfterTheFirstChunk_EndsWithAnErrorEventAndNoDone()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].FailMidStream(ProviderErrorKind.Unavailable, "partial ");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        List<string> events = Http.SseData(await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("[DONE]", events);
        Assert.Contains("partial ", events[0], StringComparison.Ordinal);
        JsonElement error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("provider_error", error.GetProperty("code").GetString());
        Assert.Empty(host.Fakes["backup"].Requests); // text already reached the client: no retry, no duplicated answer
    }
}
