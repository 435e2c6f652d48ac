using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.Bedrock;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.Bedrock;

public sealed class BedrockStreamingTests
{
    private const string Model = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";

    private static readonly byte[][] s_toolUseStream =
    [
        EventStreamFrames.Event("messageStart", """{"role":"assistant","p":"abcdefgh"}"""),
        EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel"},"p":"abcd"}"""),
        EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"lo"}}"""),
        EventStreamFrames.Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        EventStreamFrames.Event("contentBlockStart", """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather"}}}"""),
        EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\":"}}}"""),
        EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"\"Paris\"}"}}}"""),
        EventStreamFrames.Event("contentBlockStop", """{"contentBlockIndex":1}"""),
        EventStreamFrames.Event("messageStop", """{"stopReason":"tool_use"}"""),
        EventStreamFrames.Event("metadata", """{"usage":{"inputTokens":30,"outputTokens":20,"totalTokens":60,"cacheReadInputTokens":10},"metrics":{"latencyMs":812}}"""),
    ];

    [Fact]
    public async Task GetStreamingResponseAsync_DecodesTextToolUseAndUsageFromSignedStream()
    {
        var time = new ManualTimeProvider();
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => WriteSplitAsync(ctx, s_toolUseStream), BedrockTestServer.Verifier(time), time);
        using BedrockChatClient client = server.CreateClient();

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync("Weather in Paris?", new ChatOptions { ModelId = Model }));

        Assert.Equal([null], server.SignatureVerdicts);
        Assert.Equal("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream", server.RawTargets.Single());
        Assert.Equal("application/vnd.amazon.eventstream", server.Server.Requests.Single().Header("Accept"));
        Assert.Equal(["Hel", "lo"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        FunctionCallContent call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("tooluse_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());
        ChatResponseUpdate last = updates[^1];
        Assert.Equal(ChatFinishReason.ToolCalls, last.FinishReason);
        UsageDetails usage = Assert.IsType<UsageContent>(Assert.Single(last.Contents)).Details;
        Assert.Equal((40L, 10L, 20L), (usage.InputTokenCount!.Value, usage.CachedInputTokenCount!.Value, usage.OutputTokenCount!.Value));
        Assert.All(updates, u => Assert.Equal(("req-1", Model), (u.ResponseId, u.ModelId)));

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("Hello", response.Text);
        Assert.Equal(40, response.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ReasoningDeltas_BecomeReasoningContent()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx,
            EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Thinking"}}}"""),
            EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"sig-9"}}}"""),
            EventStreamFrames.Event("messageStop", """{"stopReason":"end_turn"}""")));
        using BedrockChatClient client = server.CreateClient();

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        TextReasoningContent[] reasoning = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().ToArray();
        Assert.Equal("Thinking", reasoning[0].Text);
        Assert.Equal("sig-9", reasoning[1].ProtectedData);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UnknownEventType_IsSkipped()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx,
            EventStreamFrames.Event("somethingNew", """{"x":1}"""),
            EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"ok"}}"""),
            EventStreamFrames.Event("messageStop", """{"stopReason":"end_turn"}""")));
        using BedrockChatClient client = server.CreateClient();

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        Assert.Equal("ok", updates.ToChatResponse().Text);
    }

    [Theory]
    [InlineData("throttlingException", "ThrottlingException", ProviderErrorKind.RateLimited)]
    [InlineData("serviceUnavailableException", "ServiceUnavailableException", ProviderErrorKind.Unavailable)]
    [InlineData("internalServerException", "InternalServerException", ProviderErrorKind.Unavailable)]
    [InlineData("modelStreamErrorException", "ModelStreamErrorException", ProviderErrorKind.Unavailable)]
    [InlineData("validationException", "ValidationException", ProviderErrorKind.BadRequest)]
    public async Task GetStreamingResponseAsync_ExceptionFrameAfterText_FailsWithItsKind(string exceptionType, string errorCode, ProviderErrorKind expected)
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx,
            EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Par"}}"""),
            EventStreamFrames.Exception(exceptionType, """{"message":"Something went wrong mid-stream."}""")));
        using BedrockChatClient client = server.CreateClient();
        var texts = new List<string>();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model }))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(["Par"], texts);
        Assert.Equal(expected, error.Kind);
        Assert.Equal(errorCode, error.ProviderErrorCode);
        Assert.Equal(("aws", Model), (error.Provider, error.ProviderModel));
        Assert.Contains("Something went wrong mid-stream.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ValidationExceptionFrameSayingTooLong_IsContextWindowExceeded()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx, EventStreamFrames.Exception("validationException", """{"message":"Input is too long for requested model."}""")));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model })));

        Assert.Equal(ProviderErrorKind.ContextWindowExceeded, error.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_GenericErrorFrame_FailsWithItsCode()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx, EventStreamFrames.Error("InternalFailure", "An internal error occurred.")));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model })));

        Assert.Equal(ProviderErrorKind.Unavailable, error.Kind);
        Assert.Equal("InternalFailure", error.ProviderErrorCode);
        Assert.Contains("An internal error occurred.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("prelude")]
    public async Task GetStreamingResponseAsync_CorruptFrame_FailsAsInvalidResponse(string where)
    {
        byte[] corrupt = EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"x"}}""");
        corrupt[where == "payload" ? corrupt.Length - 8 : 2] ^= 0x40;
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx, EventStreamFrames.Event("messageStart", """{"role":"assistant"}"""), corrupt));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model })));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UnreadableEventPayload_FailsAsInvalidResponse()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx, EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":"zero","delta":""")));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model })));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamCutInsideAFrame_FailsAsInvalidResponse()
    {
        byte[] frame = EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"x"}}""");
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(ctx, frame[..20]));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model })));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamEndingBeforeMessageStop_FailsAsInvalidResponse()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx, EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hal"}}""")));
        using BedrockChatClient client = server.CreateClient();

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model })));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_HttpError_FailsBeforeAnyUpdate()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(async ctx =>
        {
            ctx.Response.Headers["x-amzn-ErrorType"] = "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/";
            await BedrockTestServer.WriteJsonAsync(ctx, """{"message":"Too many requests"}""", 429);
        });
        using BedrockChatClient client = server.CreateClient();
        int updates = 0;

        ProviderException error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model }))
            {
                updates++;
            }
        });

        Assert.Equal(0, updates);
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(429, error.StatusCode);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsMidStream_ThrowsOperationCanceledAndTheServerSeesTheConnectionClose()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(async ctx =>
        {
            await BedrockTestServer.WriteFramesAsync(ctx, EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"first"}}"""));
            await BedrockChatClientTests.WaitForAbortAsync(ctx);
        });
        using BedrockChatClient client = server.CreateClient();
        using var cts = new CancellationTokenSource();
        var texts = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model }, cts.Token))
            {
                texts.Add(update.Text);
                await cts.CancelAsync();
            }
        });

        Assert.Equal(["first"], texts);
        await server.Server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsEnumerating_ClosesTheConnectionAtOnce()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(async ctx =>
        {
            await BedrockTestServer.WriteFramesAsync(ctx, EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"first"}}"""));
            await BedrockChatClientTests.WaitForAbortAsync(ctx);
        });
        using BedrockChatClient client = server.CreateClient();

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model }))
        {
            Assert.Equal("first", update.Text);
            break;
        }

        await server.Server.ClientDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MalformedToolInput_IsReportedOnTheCall()
    {
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteFramesAsync(
            ctx,
            EventStreamFrames.Event("contentBlockStart", """{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t1","name":"f"}}}"""),
            EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"a\":"}}}"""),
            EventStreamFrames.Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            EventStreamFrames.Event("messageStop", """{"stopReason":"malformed_tool_use"}""")));
        using BedrockChatClient client = server.CreateClient();

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = Model }));

        FunctionCallContent call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.NotNull(call.Exception);
        Assert.Equal("malformed_tool_use", updates[^1].FinishReason!.Value.Value);
    }

    private static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    // Writes the frames as one byte sequence cut at places that do not line up with frame boundaries.
    private static async Task WriteSplitAsync(HttpContext context, byte[][] frames)
    {
        BedrockTestServer.StartEventStream(context);
        byte[] all = frames.SelectMany(f => f).ToArray();
        int offset = 0;
        int piece = 7;
        while (offset < all.Length)
        {
            int length = Math.Min(piece, all.Length - offset);
            await context.Response.Body.WriteAsync(all.AsMemory(offset, length));
            await context.Response.Body.FlushAsync();
            offset += length;
            piece = piece * 3 % 97 + 5;
        }
    }
}
