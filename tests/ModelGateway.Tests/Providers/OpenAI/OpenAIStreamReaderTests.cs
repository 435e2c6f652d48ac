using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.OpenAI;
using ModelGateway.Providers.OpenAI.Wire;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

/// <summary>
/// The hand-written reader for text deltas must read exactly what the source-generated contract reads, or decline the
/// chunk so that the contract reads it.
/// </summary>
public sealed class OpenAIStreamReaderTests
{
    private const string Head = """{"id":"chatcmpl-A","object":"chat.completion.chunk","created":1727346178,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_1","choices":""";

    public static TheoryData<string> FastShapes() => new()
    {
        Head + """[{"index":0,"delta":{"content":" word"},"logprobs":null,"finish_reason":null}],"usage":null}""",
        Head + """[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}""",
        Head + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""",
        Head + """[{"index":0,"delta":{"content":null,"reasoning_content":"Let me think"},"finish_reason":null}]}""",
        Head + """[{"index":0,"delta":{"content":"He said \"hi\"\n\u00e9\ud83d\ude00"},"finish_reason":"length"}]}""",
        Head + """[{"index":0,"delta":{"content":"x","tool_calls":null,"refusal":""},"finish_reason":null}]}""",
        Head + """[{"delta":{"content":"no index"}}]}""",
        Head + """[{"index":0,"delta":null,"finish_reason":"stop"}]}""",
        """{"choices":[{"index":0,"delta":{"content":"first"}}],"id":"chatcmpl-\u0041","model":null,"created":null}""",
        """{"id":"x","choices":[{"index":0,"delta":{"content":"a","content":"b"},"logprobs":{"content":[{"token":"b","bytes":[98],"top_logprobs":[]}]}}],"obfuscation":"Zq","service_tier":"default","usage":null}""",
        """{"id":"x","choices":[{"index":0,"delta":{"content":"dropped"}}],"choices":[{"index":0,"delta":{"content":"kept"}}]}""",
        "  " + Head + """[{"index":0,"delta":{"content":"padded"}}]}  """,
    };

    public static TheoryData<string> GeneralShapes() => new()
    {
        Head + """[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""",
        Head + """[{"index":0,"delta":{"content":"a"}}],"usage":{"prompt_tokens":1}}""",
        Head + """[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}""",
        Head + """[{"index":1,"delta":{"content":"b"}}]}""",
        Head + """[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_A","function":{"name":"f","arguments":""}}]}}]}""",
        Head + """[{"index":0,"delta":{"refusal":"I can't"}}]}""",
        Head + """[{"index":0,"message":{"content":"a"}}]}""",
        Head + "null}",
        """{"error":{"message":"overloaded","type":"server_error"}}""",
        """{"id":"x","created":"1727346178","choices":[{"index":0,"delta":{"content":"a"}}]}""",
        """{"id":"x","created":1.5,"choices":[{"index":0,"delta":{"content":"a"}}]}""",
        """{"id":7,"choices":[{"index":0,"delta":{"content":"a"}}]}""",
        """{"id":"x","choices":[{"index":0,"delta":{"content":5}}]}""",
        """{"id":"x","choices":[{"index":"0","delta":{"content":"a"}}]}""",
        """{"id":"x","choices":[{"index":0,"delta":{"content":"a"}}]} trailing""",
        """{"id":"x","choices":[{"index":0,"delta":{"content":"a"}}]""",
        """[{"id":"x"}]""",
        "null",
        """{"id":"x"}""",
    };

    [Theory]
    [MemberData(nameof(FastShapes))]
    public void TryReadDelta_TextDelta_ReadsWhatTheContractReads(string json)
    {
        var reader = new OpenAIStreamReader();

        bool read = reader.TryReadDelta(Encoding.UTF8.GetBytes(json), out OpenAIStreamChunk chunk);

        Assert.True(read);
        Assert.Equal(OpenAIStreamChunkKind.Delta, chunk.Kind);
        WireChatCompletion expected = JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.WireChatCompletion)!;
        WireChoice choice = Assert.Single(expected.Choices!);
        Assert.Equal(0, choice.Index);
        Assert.Null(expected.Usage);
        Assert.Null(expected.Error);
        Assert.True(string.IsNullOrEmpty(choice.Delta?.Refusal));
        Assert.Null(choice.Delta?.ToolCalls);
        Assert.Equal(expected.Id, chunk.Id);
        Assert.Equal(expected.Model, chunk.Model);
        Assert.Equal(expected.Created, chunk.Created);
        Assert.Equal(choice.Delta?.Content, chunk.Content);
        Assert.Equal(choice.Delta?.ReasoningContent, chunk.Reasoning);
        Assert.Equal(choice.FinishReason, chunk.FinishReason);
        Assert.Null(chunk.Full);
    }

    [Theory]
    [MemberData(nameof(GeneralShapes))]
    public void TryReadDelta_AnyOtherChunk_LeavesItToTheContract(string json)
    {
        var reader = new OpenAIStreamReader();

        bool read = reader.TryReadDelta(Encoding.UTF8.GetBytes(json), out _);

        Assert.False(read);
    }

    [Fact]
    public void Parse_IdAndModelRepeat_ReusesTheStringsUntilTheyChange()
    {
        var reader = new OpenAIStreamReader();
        static string Chunk(string id) => $$$"""{"id":"{{{id}}}","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"a"}}]}""";

        OpenAIStreamChunk first = reader.Parse("message", Encoding.UTF8.GetBytes(Chunk("chatcmpl-A")));
        OpenAIStreamChunk second = reader.Parse("message", Encoding.UTF8.GetBytes(Chunk("chatcmpl-A")));
        OpenAIStreamChunk third = reader.Parse("message", Encoding.UTF8.GetBytes(Chunk("chatcmpl-B")));

        Assert.Equal("chatcmpl-A", second.Id);
        Assert.Same(first.Id, second.Id);
        Assert.Same(first.Model, third.Model);
        Assert.Equal("chatcmpl-B", third.Id);
    }

    [Fact]
    public void Parse_GeneralChunk_DeserializesItWhole()
    {
        var reader = new OpenAIStreamReader();

        OpenAIStreamChunk chunk = reader.Parse("message", Encoding.UTF8.GetBytes(Head + """[],"usage":{"prompt_tokens":1,"completion_tokens":2}}"""));

        Assert.Equal(OpenAIStreamChunkKind.Full, chunk.Kind);
        Assert.Equal(2, chunk.Full?.Usage?.CompletionTokens);
    }

    [Theory]
    [InlineData("", (int)OpenAIStreamChunkKind.Empty)]
    [InlineData("null", (int)OpenAIStreamChunkKind.Empty)]
    [InlineData("[DONE]", (int)OpenAIStreamChunkKind.Done)]
    public void Parse_EmptyNullOrDone_IsRecognised(string data, int expectedKind)
    {
        var kind = (OpenAIStreamChunkKind)expectedKind;
        var reader = new OpenAIStreamReader();

        OpenAIStreamChunk chunk = reader.Parse("message", Encoding.UTF8.GetBytes(data));

        Assert.Equal(kind, chunk.Kind);
    }

    [Theory]
    [InlineData("""{"id":"x","choices":[{"index":0,"delta":{"content":"a"}}]""")]
    [InlineData("""{"id":"x","choices":[{"index":0,"delta":{"content":"a"}}]} trailing""")]
    [InlineData("not json")]
    public void Parse_MalformedJson_ThrowsInvalidDataWithAnExcerpt(string data)
    {
        var reader = new OpenAIStreamReader();

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => reader.Parse("message", Encoding.UTF8.GetBytes(data)));

        Assert.IsAssignableFrom<JsonException>(error.InnerException);
        Assert.StartsWith(data[..5], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8InAString_ThrowsInvalidDataLikeOtherMalformedJson()
    {
        var reader = new OpenAIStreamReader();
        byte[] data = [.. "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a"u8, 0xC3, 0x28, .. "\"}}]}"u8];

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => reader.Parse("message", data));

        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MixedChunks_SameUpdatesAndRawOnlyWhereTheChunkSaysMore()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Sse(
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"content":"Hel"}"""),
            Chunk("""{"content":"lo","tool_calls":[{"index":0,"id":"call_A","type":"function","function":{"name":"f","arguments":"{}"}}]}"""),
            Chunk("""{"reasoning_content":"hmm"}"""),
            Chunk("{}", "tool_calls"),
            UsageChunk,
            "[DONE]"));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        List<ChatResponseUpdate> updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(6, updates.Count);
        Assert.All(updates, u => Assert.Equal(("chatcmpl-A", "chatcmpl-A", "gpt-4o-2024-08-06"), (u.ResponseId, u.MessageId, u.ModelId)));
        Assert.All(updates, u => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1727346178), u.CreatedAt));
        Assert.Empty(updates[0].Contents);
        Assert.Equal("Hel", Assert.IsType<TextContent>(Assert.Single(updates[1].Contents)).Text);
        Assert.Equal("lo", Assert.IsType<TextContent>(Assert.Single(updates[2].Contents)).Text);
        Assert.Equal("hmm", Assert.IsType<TextReasoningContent>(Assert.Single(updates[3].Contents)).Text);
        Assert.Equal(ChatFinishReason.ToolCalls, updates[4].FinishReason);
        Assert.Equal("call_A", Assert.IsType<FunctionCallContent>(Assert.Single(updates[4].Contents)).CallId);
        Assert.IsType<UsageContent>(Assert.Single(updates[5].Contents));

        // Text deltas (read without wire objects) carry no raw chunk; the tool call and usage chunks keep theirs.
        Assert.Null(updates[0].RawRepresentation);
        Assert.Null(updates[1].RawRepresentation);
        Assert.NotNull(updates[2].RawRepresentation);
        Assert.Null(updates[3].RawRepresentation);
        Assert.Null(updates[4].RawRepresentation);
        Assert.NotNull(updates[5].RawRepresentation);
    }
}
