using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Anthropic.AnthropicTestClient;

namespace ModelGateway.Tests.Providers.Anthropic;

public sealed class AnthropicStreamingTests
{
    private const string MessageStart = """{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":1}}}""";

    [Fact]
    public async Task GetStreamingResponseAsync_TextAndThinking_YieldsDeltasThenFinishAndUsage()
    {
        string sse = Sse(
            ("message_start", MessageStart),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think."}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB-sig"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"""),
            ("ping", """{"type": "ping"}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello"}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" world"}}   """),
            ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":42}}"""),
            ("message_stop", """{"type":"message_stop"}"""));
        await using LoopbackServer server = await ServeSseAsync(sse);
        using IChatClient client = Create(server);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
        {
            updates.Add(update);
        }

        Assert.Equal(["Hello", " world"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.All(updates, u => Assert.Equal("msg_01", u.ResponseId));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        ChatResponseUpdate last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        UsageDetails usage = Assert.IsType<UsageContent>(Assert.Single(last.Contents)).Details;
        Assert.Equal(477, usage.InputTokenCount);
        Assert.Equal(100, usage.CachedInputTokenCount);
        Assert.Equal(42, usage.OutputTokenCount);

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("Hello world", response.Text);
        TextReasoningContent reasoning = Assert.Single(Assert.Single(response.Messages).Contents.OfType<TextReasoningContent>());
        Assert.Equal("Let me think.", reasoning.Text);
        Assert.Equal("EqQB-sig", reasoning.ProtectedData);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("claude-sonnet-4-20250514", response.ModelId);
        Assert.Equal(42, response.Usage!.OutputTokenCount);

        Assert.Contains("\"stream\":true", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCall_YieldsParsedFunctionCall()
    {
        string sse = Sse(
            ("message_start", MessageStart),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            ("content_block_start", """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":2}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":65}}"""),
            ("message_stop", """{"type":"message_stop"}"""));
        await using LoopbackServer server = await ServeSseAsync(sse);
        using IChatClient client = Create(server);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Weather?", Options()))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        FunctionCallContent[] calls = [.. Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>()];
        Assert.Equal(2, calls.Length);
        Assert.Equal("toolu_01", calls[0].CallId);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.Equal("Paris", calls[0].Arguments!["city"]!.ToString());
        Assert.Null(calls[0].Exception);
        Assert.Equal("get_time", calls[1].Name);
        Assert.Empty(calls[1].Arguments!);
        Assert.Equal("Checking.", response.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorEventMidStream_ThrowsClassifiedProviderException()
    {
        string sse = Sse(
            ("message_start", MessageStart),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"""),
            ("error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        await using LoopbackServer server = await ServeSseAsync(sse);
        using IChatClient client = Create(server);

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
        Assert.Equal("overloaded_error", ex.ProviderErrorCode);
        Assert.Equal("claude", ex.Provider);
        Assert.Equal("claude-sonnet-4-5", ex.ProviderModel);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamEndsBeforeMessageStop_ThrowsInvalidResponse()
    {
        string sse = Sse(
            ("message_start", MessageStart),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"""));
        await using LoopbackServer server = await ServeSseAsync(sse);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CorruptEvent_ThrowsInvalidResponse()
    {
        string sse = Sse(("message_start", MessageStart), ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_de"""));
        await using LoopbackServer server = await ServeSseAsync(sse);
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.InvalidResponse, ex.Kind);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorStatus_ThrowsBeforeFirstUpdate()
    {
        await using LoopbackServer server = await ServeJsonAsync("""{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}""", 429, r => r.Headers["retry-after"] = "7");
        using IChatClient client = Create(server);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsEnumerating_ClosesConnection()
    {
        LoopbackServer server = null!;
        server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(Sse(
                ("message_start", MessageStart),
                ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
                ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"first"}}""")));
            await context.Response.Body.FlushAsync();
            await server.ClientDisconnected.Task;
        });
        await using (server)
        {
            using IChatClient client = Create(server);

            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options()))
            {
                Assert.Equal("first", update.Text);
                break;
            }

            await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancels_ThrowsOperationCanceledAndClosesConnection()
    {
        LoopbackServer server = null!;
        server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(Sse(
                ("message_start", MessageStart),
                ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
                ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"first"}}""")));
            await context.Response.Body.FlushAsync();
            await server.ClientDisconnected.Task;
        });
        await using (server)
        {
            using IChatClient client = Create(server);
            using var cts = new CancellationTokenSource();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options(), cts.Token))
                {
                    cts.Cancel();
                }
            });

            await server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
