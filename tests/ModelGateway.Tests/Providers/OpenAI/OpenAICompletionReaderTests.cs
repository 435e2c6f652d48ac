using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers;
using ModelGateway.Providers.OpenAI;
using ModelGateway.Providers.OpenAI.Wire;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Providers.OpenAI;

/// <summary>
/// The hand-written reader for non-streamed answers must build exactly the wire objects (and so the response) the
/// source-generated contract builds, or decline the body so that the contract reads it.
/// </summary>
public sealed class OpenAICompletionReaderTests
{
    // The answer the benchmarks serve (a recorded gpt-4o-mini answer).
    private const string Recorded = """
        {
          "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
          "object": "chat.completion",
          "created": 1741569952,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "Paris is the capital of France.",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 57,
            "completion_tokens": 82,
            "total_tokens": 139,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_06737a9306"
        }
        """;

    private const string Head = """{"id":"chatcmpl-1","object":"chat.completion","created":1727346171,"model":"gpt-4o","system_fingerprint":"fp_1","choices":""";

    private const string Usage = """
        "usage":{"prompt_tokens":79,"completion_tokens":12,"total_tokens":91,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":5}}
        """;

    public static TheoryData<string> FastShapes() => new()
    {
        Recorded,
        Completion(),
        Completion("", "content_filter"),
        Completion("He said \"hi\"\n\u00e9 \ud83d\ude00 \\ /", "length"),
        Head + """[{"index":0,"message":{"role":"assistant","content":"\u0048\u00e9\ud83d\ude00\t\"x\""},"finish_reason":"stop"}],""" + Usage + "}",
        Head + """[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"stop"}],""" + Usage + "}",
        Head + """[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}],""" + Usage + "}",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"prompt_tokens_details":null,"completion_tokens_details":{}}}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"no usage"},"finish_reason":"stop"}]}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"null usage"},"finish_reason":"stop"}],"usage":null}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":null}]}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"}}]}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"eos"}]}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"st\u006fp"}]}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"tool_calls"}]}""",
        Head + """[{"index":0,"message":null,"finish_reason":"stop"}]}""",
        Head + """[{"message":{"content":"no index, no role"}}]}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a","refusal":"","tool_calls":null,"function_call":null,"audio":null},"finish_reason":"stop"}]}""",
        Head + """[{"index":0,"message":{"role":"assistant","content":"a","tool_calls":[]},"finish_reason":"stop"}]}""",
        Head + """[{"index":0,"message":{"role":"ASSISTANT","content":"a"},"finish_reason":"stop"}]}""",
        Head + """[{"index":0,"message":{"role":null,"content":"a"},"finish_reason":"stop"}]}""",
        """{"id":"x","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"Think.","content":"Answer."},"finish_reason":"stop"}]}""",
        """{"id":null,"created":null,"model":null,"system_fingerprint":null,"choices":[{"index":0,"message":{"content":"nulls"}}]}""",
        """{"created":0,"choices":[{"index":0,"message":{"content":"zero time"}}]}""",
        """{"created":9223372036854775807,"choices":[{"index":0,"message":{"content":"far future"}}]}""",

        // Members in another order, unknown members of every kind, nested unknown objects and arrays.
        """
        {"usage":{"completion_tokens_details":{"rejected_prediction_tokens":1,"reasoning_tokens":2},"total_tokens":30,"prompt_tokens_details":{"audio_tokens":3,"cached_tokens":4},"completion_tokens":10,"prompt_tokens":20},
         "choices":[{"logprobs":{"content":[{"token":"a","logprob":-0.1,"bytes":[97],"top_logprobs":[]}]},"finish_reason":"length","content_filter_results":{"hate":{"filtered":false}},
                     "message":{"annotations":[{"type":"url_citation","url_citation":{"url":"https://example.com"}}],"content":"reordered","role":"assistant","audio":{"id":"audio_1","data":"AAAA"}},"index":0}],
         "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],"service_tier":"default","extra":[1,2.5,true,null,"s",{"x":[]}],
         "model":"gpt-4o","object":"chat.completion","created":1727346171,"id":"chatcmpl-9"}
        """,

        // A repeated member replaces the earlier one, as in the deserializer.
        """{"id":"first","id":"second","choices":[{"index":0,"message":{"content":"dropped"}}],"choices":[{"index":0,"message":{"content":"a","content":"kept"},"finish_reason":"length","finish_reason":"stop"}],"usage":{"prompt_tokens":1},"usage":{"completion_tokens":2}}""",

        // Escaped member names and padding.
        "  \r\n" + """{"\u0069d":"escaped","choices":[{"index":0,"message":{"cont\u0065nt":"a"}}]}""" + " \n ",
    };

    public static TheoryData<string> GeneralShapes() => new()
    {
        """
        {"id":"chatcmpl-2","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,
         "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"}},
                       {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]},"finish_reason":"tool_calls"}]}
        """,
        """{"id":"chatcmpl-3","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}""",
        Head + """[{"index":0,"message":{"content":"a"}},{"index":1,"message":{"content":"b"}}]}""",
        Head + """[{"index":1,"message":{"content":"b"}}]}""",
        Head + """[],""" + Usage + "}",
        Head + "null}",
        """{"id":"chatcmpl-1","model":"gpt-4o",""" + Usage + "}",
        Head + """[{"index":0,"delta":{"content":"a"}}]}""",
        Head + """[{"index":0,"message":{"content":[{"type":"text","text":"a"}]}}]}""",
        Head + """[{"index":0,"message":{"content":5}}]}""",
        Head + """[{"index":0,"message":{"role":5,"content":"a"}}]}""",
        Head + """[{"index":0,"message":{"content":"a","tool_calls":[{"id":"call_1"}]}}]}""",
        Head + """[{"index":0,"message":{"content":"a","refusal":5}}]}""",
        Head + """[{"index":0,"message":"text"}]}""",
        Head + """[{"index":"0","message":{"content":"a"}}]}""",
        Head + """[{"index":null,"message":{"content":"a"}}]}""",
        Head + """[{"index":0,"message":{"content":"a"},"finish_reason":5}]}""",
        Head + """[{"index":0,"message":{"content":"a"}}],"usage":{"prompt_tokens":"79"}}""",
        Head + """[{"index":0,"message":{"content":"a"}}],"usage":{"prompt_tokens":1.5}}""",
        Head + """[{"index":0,"message":{"content":"a"}}],"usage":{"prompt_tokens_details":{"cached_tokens":"4"}}}""",
        Head + """[{"index":0,"message":{"content":"a"}}],"usage":[]}""",
        """{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""",
        """{"id":"x","choices":[{"index":0,"message":{"content":"a"}}],"error":null}""",
        """{"id":"x","created":"1727346171","choices":[{"index":0,"message":{"content":"a"}}]}""",
        """{"id":"x","created":1.5,"choices":[{"index":0,"message":{"content":"a"}}]}""",
        """{"id":7,"choices":[{"index":0,"message":{"content":"a"}}]}""",
        """{"id":"x","system_fingerprint":1,"choices":[{"index":0,"message":{"content":"a"}}]}""",
        """{"id":"x","choices":[{"index":0,"message":{"content":"a"}}]} trailing""",
        """{"id":"x","choices":[{"index":0,"message":{"content":"a"}}],}""",
        """{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hel""",
        "<html><body>Welcome to the captive portal</body></html>",
        """[{"id":"x"}]""",
        "null",
        "",
    };

    [Theory]
    [MemberData(nameof(FastShapes))]
    public void TryRead_CommonAnswer_BuildsWhatTheContractBuilds(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        WireChatCompletion expected = JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.WireChatCompletion)!;

        bool read = OpenAICompletionReader.TryRead(body, out WireChatCompletion? actual);

        Assert.True(read);
        Assert.NotNull(actual);
        Assert.Equal(
            JsonSerializer.Serialize(expected, OpenAIJsonContext.Default.WireChatCompletion),
            JsonSerializer.Serialize(actual, OpenAIJsonContext.Default.WireChatCompletion));
        AssertSameResponse(Map(expected), Map(actual));
    }

    [Theory]
    [MemberData(nameof(GeneralShapes))]
    public void TryRead_AnyOtherBody_LeavesItToTheContract(string json)
    {
        bool read = OpenAICompletionReader.TryRead(Encoding.UTF8.GetBytes(json), out WireChatCompletion? completion);

        Assert.False(read);
        Assert.Null(completion);
    }

    [Fact]
    public void TryRead_InvalidUtf8InAString_LeavesItToTheContract()
    {
        byte[] body = [.. "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"a"u8, 0xC3, 0x28, .. "\"}}]}"u8];

        bool read = OpenAICompletionReader.TryRead(body, out WireChatCompletion? completion);

        Assert.False(read);
        Assert.Null(completion);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.WireChatCompletion));
    }

    [Fact]
    public void TryRead_CommonAnswer_ReusesTheRoleAndFinishReasonStrings()
    {
        Assert.True(OpenAICompletionReader.TryRead(Encoding.UTF8.GetBytes(Recorded), out WireChatCompletion? completion));

        WireChoice choice = Assert.Single(completion.Choices!);
        Assert.Same("assistant", choice.Message!.Role);
        Assert.Same("stop", choice.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_RecordedAnswer_MapsEveryFieldAndKeepsTheWireObjectAsRaw()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Recorded));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model());

        AssertSameResponse(Map(JsonSerializer.Deserialize(Recorded, OpenAIJsonContext.Default.WireChatCompletion)!), response);
        var raw = Assert.IsType<WireChatCompletion>(response.RawRepresentation);
        Assert.Equal("fp_06737a9306", raw.SystemFingerprint);
        Assert.Equal("Paris is the capital of France.", response.Text);
        Assert.Equal(139, response.Usage?.TotalTokenCount);
        Assert.Equal(0, response.Usage?.CachedInputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_ContentFilterOnTheCommonShape_ThrowsContentFiltered()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json(Recorded.Replace("\"stop\"", "\"content_filter\"", StringComparison.Ordinal)));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Equal(ProviderErrorKind.ContentFiltered, error.Kind);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorBodyOnSuccess_StillThrowsTheProviderError()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Json("""{"error":{"message":"overloaded","type":"server_error","code":"server_error"}}"""));
        using IChatClient client = OpenAIClient(server.BaseAddress);

        var error = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], Model()));

        Assert.Contains("overloaded", error.Message);
    }

    private static ChatResponse Map(WireChatCompletion completion)
    {
        WireChoice choice = completion.Choices is { Count: > 0 } choices ? choices[0] : new WireChoice();
        return OpenAIResponseMapper.ToChatResponse(completion, choice);
    }

    private static void AssertSameResponse(ChatResponse expected, ChatResponse actual)
    {
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.ResponseId, actual.ResponseId);
        Assert.Equal(expected.ModelId, actual.ModelId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
        Assert.Equal(expected.Usage is null, actual.Usage is null);
        if (expected.Usage is { } usage)
        {
            Assert.Equal(usage.InputTokenCount, actual.Usage!.InputTokenCount);
            Assert.Equal(usage.OutputTokenCount, actual.Usage.OutputTokenCount);
            Assert.Equal(usage.TotalTokenCount, actual.Usage.TotalTokenCount);
            Assert.Equal(usage.CachedInputTokenCount, actual.Usage.CachedInputTokenCount);
            Assert.Equal(usage.ReasoningTokenCount, actual.Usage.ReasoningTokenCount);
            Assert.Equal(usage.AdditionalCounts, actual.Usage.AdditionalCounts);
        }

        ChatMessage expectedMessage = Assert.Single(expected.Messages);
        ChatMessage actualMessage = Assert.Single(actual.Messages);
        Assert.Equal(expectedMessage.Role, actualMessage.Role);
        Assert.Equal(expectedMessage.MessageId, actualMessage.MessageId);
        Assert.Equal(expectedMessage.Contents.Count, actualMessage.Contents.Count);
        for (int i = 0; i < expectedMessage.Contents.Count; i++)
        {
            AIContent e = expectedMessage.Contents[i];
            AIContent a = actualMessage.Contents[i];
            Assert.Equal(e.GetType(), a.GetType());
            switch (e)
            {
                case TextContent text:
                    Assert.Equal(text.Text, ((TextContent)a).Text);
                    break;
                case TextReasoningContent reasoning:
                    Assert.Equal(reasoning.Text, ((TextReasoningContent)a).Text);
                    break;
                case ErrorContent error:
                    Assert.Equal((error.Message, error.ErrorCode), (((ErrorContent)a).Message, ((ErrorContent)a).ErrorCode));
                    break;
                default:
                    Assert.Fail($"Unexpected content {e.GetType().Name}.");
                    break;
            }
        }

        Assert.Equal(expected.RawRepresentation?.GetType(), actual.RawRepresentation?.GetType());
    }
}
