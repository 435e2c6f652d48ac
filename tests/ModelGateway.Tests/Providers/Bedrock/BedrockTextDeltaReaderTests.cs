using System.Text;
using System.Text.Json;
using ModelGateway.Providers.Bedrock;
using ModelGateway.Providers.Bedrock.Wire;

namespace ModelGateway.Tests.Providers.Bedrock;

/// <summary>
/// The hand-written reader for <c>contentBlockDelta</c> text events must read exactly what the source-generated contract
/// reads, or decline the event so that the contract reads it.
/// </summary>
public sealed class BedrockTextDeltaReaderTests
{
    public static TheoryData<string> FastShapes() => new()
    {
        """{"contentBlockIndex":0,"delta":{"text":" word"},"p":"abcdefghijkl"}""",
        """{"contentBlockIndex":2,"delta":{"text":""}}""",
        """{"contentBlockIndex":0,"delta":{"text":"He said \"hi\"\n\u00e9\ud83d\ude00"}}""",
        """{"delta":{"text":"order","toolUse":null,"reasoningContent":null,"extra":[1,{"a":2}]},"contentBlockIndex":0}""",
        """{"contentBlockIndex":0,"delta":{"text":"a","text":"b"}}""",
        """{"contentBlockIndex":0,"delta":{"text":"dropped"},"delta":{"text":"kept"}}""",
        """{"contentBlockIndex":0,"delta":null}""",
        """{"contentBlockIndex":0,"delta":{}}""",
        """{"contentBlockIndex":0}""",
        """ {"contentBlockIndex":0,"delta":{"text":null}} """,
    };

    public static TheoryData<string> GeneralShapes() => new()
    {
        """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\":"}}}""",
        """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"hmm"}}}""",
        """{"contentBlockIndex":0,"delta":{"text":"a","toolUse":{"input":""}}}""",
        """{"contentBlockIndex":"0","delta":{"text":"a"}}""",
        """{"contentBlockIndex":null,"delta":{"text":"a"}}""",
        """{"contentBlockIndex":0,"delta":{"text":5}}""",
        """{"contentBlockIndex":0,"delta":"text"}""",
        """{"contentBlockIndex":0,"delta":{"text":"a"}} trailing""",
        """{"contentBlockIndex":0,"delta":{"text":"a"}""",
        "null",
        "[]",
    };

    [Theory]
    [MemberData(nameof(FastShapes))]
    public void TryReadTextDelta_TextDelta_ReadsWhatTheContractReads(string json)
    {
        bool read = BedrockStreamState.TryReadTextDelta(Encoding.UTF8.GetBytes(json), out string? text);

        Assert.True(read);
        ContentBlockDeltaEvent expected = JsonSerializer.Deserialize(json, BedrockJsonContext.Default.ContentBlockDeltaEvent)!;
        Assert.Null(expected.Delta?.ToolUse);
        Assert.Null(expected.Delta?.ReasoningContent);
        Assert.Equal(expected.Delta?.Text, text);
    }

    [Theory]
    [MemberData(nameof(GeneralShapes))]
    public void TryReadTextDelta_AnyOtherShape_LeavesItToTheContract(string json)
    {
        bool read = BedrockStreamState.TryReadTextDelta(Encoding.UTF8.GetBytes(json), out _);

        Assert.False(read);
    }

    [Fact]
    public void Apply_TextDelta_GivesOneTextUpdate()
    {
        var state = new BedrockStreamState("model", "req-1");

        Microsoft.Extensions.AI.ChatResponseUpdate? update = state.Apply("contentBlockDelta"u8, """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""u8);

        Assert.NotNull(update);
        Assert.Equal("Hi", Assert.IsType<Microsoft.Extensions.AI.TextContent>(Assert.Single(update.Contents)).Text);
        Assert.Equal(("req-1", "req-1", "model"), (update.ResponseId, update.MessageId, update.ModelId));
        Assert.Equal(Microsoft.Extensions.AI.ChatRole.Assistant, update.Role);
    }

    [Fact]
    public void Apply_MalformedTextDelta_ThrowsJsonException()
    {
        var state = new BedrockStreamState("model", null);

        Assert.ThrowsAny<JsonException>(() => state.Apply("contentBlockDelta"u8, """{"contentBlockIndex":0,"delta":{"text":"a"}"""u8));
    }
}
