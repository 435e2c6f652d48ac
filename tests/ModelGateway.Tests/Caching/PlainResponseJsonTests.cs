using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using ModelGateway.Caching;

namespace ModelGateway.Tests.Caching;

public class PlainResponseJsonTests
{
    private static readonly JsonTypeInfo<ChatResponse> s_contract =
        (JsonTypeInfo<ChatResponse>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse));

    public static TheoryData<string> PlainResponses => new(PlainCases.Keys);

    public static TheoryData<string> OtherResponses => new(OtherCases.Keys);

    private static Dictionary<string, Func<ChatResponse>> PlainCases { get; } = new()
    {
        ["minimal"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")),
        ["everything"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "a \"quoted\" <tag> é 😀 \\ \n line")
        {
            AuthorName = "bot",
            MessageId = "msg-1",
            CreatedAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2)),
        })
        {
            ResponseId = "resp-1",
            ModelId = "gpt-4o-mini-2024-07-18",
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1741569952),
            FinishReason = ChatFinishReason.Length,
            Usage = new UsageDetails
            {
                InputTokenCount = 57,
                OutputTokenCount = 82,
                TotalTokenCount = 139,
                CachedInputTokenCount = 3,
                ReasoningTokenCount = 0,
                AdditionalCounts = new() { ["cache_creation_input_tokens"] = 7, ["x"] = -1 },
            },
        },
        ["empty text"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "")) { FinishReason = ChatFinishReason.Stop },
        ["no contents"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, (string?)null)) { FinishReason = ChatFinishReason.ToolCalls },
        ["two texts"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("one"), new TextContent("two")])),
        ["other role and finish reason"] = () => new ChatResponse(new ChatMessage(new ChatRole("narrator"), "x")) { FinishReason = new ChatFinishReason("paused") },
        ["usage with empty counts"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { Usage = new UsageDetails { AdditionalCounts = new() } },
        ["conversation id"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { ConversationId = "c-1" },
    };

    private static Dictionary<string, Func<ChatResponse>> OtherCases { get; } = new()
    {
        ["response additional properties"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { AdditionalProperties = new() { ["a"] = 1, ["b"] = "two" } },
        ["message additional properties"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x") { AdditionalProperties = new() { ["a"] = true } }),
        ["text additional properties"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("x") { AdditionalProperties = new() { ["a"] = 1 } }])),
        ["annotations"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("x") { Annotations = [new CitationAnnotation { Url = new Uri("https://example.com/") }] }])),
        ["function call"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" })])),
        ["reasoning"] = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("thinking"), new TextContent("x")])),
        ["two messages"] = () => new ChatResponse([new ChatMessage(ChatRole.Assistant, "a"), new ChatMessage(ChatRole.Tool, "b")]),
        ["no messages"] = () => new ChatResponse(),
    };

    [Theory]
    [MemberData(nameof(PlainResponses))]
    public void Writer_WritesExactlyTheContractsBytes(string name)
    {
        ChatResponse response = PlainCases[name]();

        Assert.True(PlainResponseJson.CanWrite(response));
        Assert.Equal(ContractJson(response), Write(w => PlainResponseJson.Write(w, response)));
    }

    [Theory]
    [MemberData(nameof(PlainResponses))]
    public void Reader_GivesTheSameResponseAsTheContract(string name)
    {
        byte[] json = Encoding.UTF8.GetBytes(ContractJson(PlainCases[name]()));

        var fastReader = new Utf8JsonReader(json);
        fastReader.Read();
        ChatResponse? fast = PlainResponseJson.TryRead(ref fastReader);
        ChatResponse general = JsonSerializer.Deserialize(json, s_contract)!;

        Assert.NotNull(fast);
        AssertSameResponse(general, fast);
        Assert.False(fastReader.Read()); // consumed exactly the response
    }

    [Theory]
    [MemberData(nameof(OtherResponses))]
    public void AnythingElse_IsLeftToTheContract_AndStillRoundTrips(string name)
    {
        ChatResponse response = OtherCases[name]();
        byte[] json = Encoding.UTF8.GetBytes(ContractJson(response));
        var reader = new Utf8JsonReader(json);
        reader.Read();

        Assert.False(PlainResponseJson.CanWrite(response));
        Assert.Null(PlainResponseJson.TryRead(ref reader));

        // Through the entry serializer: written and read by the contract, equal to the contract's own round trip.
        var entry = new CacheEntry(DateTimeOffset.UnixEpoch.AddDays(1), "chat", "a", "m", response);
        Assert.Equal(CacheReadResult.Hit, CacheEntrySerializer.TryRead(CacheEntrySerializer.Write(entry), DateTimeOffset.UnixEpoch, out CacheEntry read));
        AssertSameResponse(JsonSerializer.Deserialize(json, s_contract)!, read.Response);
    }

    [Fact]
    public void Reader_FallsBackOnUnknownProperties_AndTheEntryIsStillRead()
    {
        string[] variants =
        [
            """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}],"futureField":1}""",
            """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}],"rawRepresentation":null}]}""",
            """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x","annotations":null}]}]}""",
            """{"messages":[{"role":"assistant","contents":[{"$type":"text","text":"x"}]}],"usage":{"inputTokenCount":1,"inputAudioTokenCount":2}}""",
            """{"messages":[{"contents":[{"$type":"text","text":"x"}]}]}""",
        ];

        foreach (string variant in variants)
        {
            byte[] json = Encoding.UTF8.GetBytes(variant);
            var reader = new Utf8JsonReader(json);
            reader.Read();
            Assert.Null(PlainResponseJson.TryRead(ref reader));

            byte[] entry = Encoding.UTF8.GetBytes("""{"v":1,"expires":99999999999999,"model":"chat","provider":null,"providerModel":null,"response":""" + variant + "}");
            Assert.Equal(CacheReadResult.Hit, CacheEntrySerializer.TryRead(entry, DateTimeOffset.UnixEpoch, out CacheEntry read));
            AssertSameResponse(JsonSerializer.Deserialize(json, s_contract)!, read.Response);
        }
    }

    [Fact]
    public void Entry_WrittenByHand_IsReadByTheContractAndByTheFastPath_Alike()
    {
        ChatResponse response = PlainCases["everything"]();
        var entry = new CacheEntry(DateTimeOffset.FromUnixTimeMilliseconds(5_000), "chat", "openai", "gpt-4o-mini", response);

        byte[] written = CacheEntrySerializer.Write(entry);
        CacheReadResult result = CacheEntrySerializer.TryRead(written, DateTimeOffset.FromUnixTimeMilliseconds(4_999), out CacheEntry read);

        Assert.Equal(CacheReadResult.Hit, result);
        Assert.Equal(("chat", "openai", "gpt-4o-mini"), (read.Model, read.Provider, read.ProviderModel));
        Assert.Equal(entry.ExpiresAt, read.ExpiresAt);
        AssertSameResponse(response, read.Response);
        Assert.Equal(ChatRole.Assistant, read.Response.Messages[0].Role);
        Assert.Equal(ChatFinishReason.Length, read.Response.FinishReason);
        Assert.Equal(7, read.Response.Usage!.AdditionalCounts!["cache_creation_input_tokens"]);
        Assert.Equal(TimeSpan.FromHours(2), read.Response.Messages[0].CreatedAt!.Value.Offset);
    }

    [Fact]
    public void TheContractsPropertyLists_AreTheOnesTheHandWrittenPathMirrors()
    {
        // An upgrade of Microsoft.Extensions.AI that adds, renames or reorders a property fails here, not in production.
        Assert.Equal(
            "messages,text,responseId,conversationId,modelId,createdAt,finishReason,usage,continuationToken,rawRepresentation,additionalProperties",
            PropertyNames(typeof(ChatResponse)));
        Assert.Equal("authorName,createdAt,role,text,contents,messageId,rawRepresentation,additionalProperties", PropertyNames(typeof(ChatMessage)));
        Assert.Equal("text,annotations,rawRepresentation,additionalProperties", PropertyNames(typeof(TextContent)));
        Assert.Equal(
            "inputTokenCount,outputTokenCount,totalTokenCount,cachedInputTokenCount,reasoningTokenCount,inputAudioTokenCount,inputTextTokenCount,outputAudioTokenCount,outputTextTokenCount,additionalCounts",
            PropertyNames(typeof(UsageDetails)));
    }

    internal static string ContractJson(ChatResponse response) => Write(w => JsonSerializer.Serialize(w, response, s_contract));

    internal static void AssertSameResponse(ChatResponse expected, ChatResponse actual)
    {
        Assert.Equal(ContractJson(expected), ContractJson(actual));
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.Text, actual.Text);
    }

    private static string PropertyNames(Type type) =>
        string.Join(',', AIJsonUtilities.DefaultOptions.GetTypeInfo(type).Properties.Select(p => p.Name));

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
