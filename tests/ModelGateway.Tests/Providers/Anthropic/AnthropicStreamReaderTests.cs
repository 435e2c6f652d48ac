using System.Text;
using System.Text.Json;
using ModelGateway.Providers.Anthropic;

namespace ModelGateway.Tests.Providers.Anthropic;

/// <summary>
/// The hand-written reader for text and thinking deltas (and pings) must read exactly what the source-generated contract
/// reads, or decline the event so that the contract reads it.
/// </summary>
public sealed class AnthropicStreamReaderTests
{
    public static TheoryData<string> FastShapes() => new()
    {
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" word"}}""",
        """{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":""}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"He said \"hi\"\n\u00e9\ud83d\ude00"}}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"Let me think"}}""",
        """{"delta":{"text":"order","type":"text_delta","extra":{"a":[1,2]}},"index":0,"type":"content_block_delta","usage":null}""",
        """{"type":"content_block_delta","delta":{"type":"text_delta","text":"a","text":"b"}}""",
        """{"type":"content_block_delta","delta":{"type":"text_delta","text":null}}""",
        """{"type": "ping"}""",
        """ {"type":"ping","extra":1} """,
    };

    public static TheoryData<string> GeneralShapes() => new()
    {
        """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\""}}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"EqQ"}}""",
        """{"type":"content_block_delta","index":0,"delta":null}""",
        """{"type":"content_block_delta","index":0}""",
        """{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":5}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}""",
        """{"type":"message_stop"}""",
        """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""",
        """{"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"a"}}""",
        """{"type":"content_block_delta","index":0.5,"delta":{"type":"text_delta","text":"a"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","signature":1,"text":"a"}}""",
        """{"type":7,"delta":{"type":"text_delta","text":"a"}}""",
        """{"type":"ping","message":{}}""",
        """{"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}} trailing""",
        """{"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}""",
        "null",
        "[]",
    };

    [Theory]
    [MemberData(nameof(FastShapes))]
    public void TryRead_TextThinkingOrPing_ReadsWhatTheContractReads(string json)
    {
        bool read = AnthropicStreamReader.TryRead(Encoding.UTF8.GetBytes(json), out AnthropicStreamItem item);

        Assert.True(read);
        Assert.Null(item.Event);
        AnthropicStreamEvent expected = JsonSerializer.Deserialize(json, AnthropicJsonContext.Default.AnthropicStreamEvent)!;
        switch (expected.Type)
        {
            case "ping":
                Assert.False(item.IsDelta);
                break;
            case "content_block_delta" when expected.Delta?.Type == "text_delta":
                Assert.True(item.IsDelta);
                Assert.False(item.IsThinking);
                Assert.Equal(expected.Delta.Text, item.Text);
                break;
            case "content_block_delta" when expected.Delta?.Type == "thinking_delta":
                Assert.True(item.IsDelta);
                Assert.True(item.IsThinking);
                Assert.Equal(expected.Delta.Thinking, item.Text);
                break;
            default:
                Assert.Fail($"The fast path read an event the stream maps differently: {json}");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(GeneralShapes))]
    public void TryRead_AnyOtherEvent_LeavesItToTheContract(string json)
    {
        bool read = AnthropicStreamReader.TryRead(Encoding.UTF8.GetBytes(json), out _);

        Assert.False(read);
    }

    [Fact]
    public void Parse_OtherEvent_DeserializesItWhole()
    {
        AnthropicStreamItem item = AnthropicStreamReader.Parse("""{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}"""u8);

        Assert.False(item.IsDelta);
        Assert.Equal("end_turn", item.Event?.Delta?.StopReason);
        Assert.Equal(5, item.Event?.Usage?.OutputTokens);
    }

    [Fact]
    public void Parse_MalformedJson_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => AnthropicStreamReader.Parse("""{"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}"""u8));
    }
}
