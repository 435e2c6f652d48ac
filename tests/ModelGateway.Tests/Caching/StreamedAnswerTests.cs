using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Caching;

namespace ModelGateway.Tests.Caching;

public class StreamedAnswerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Streams => new(Cases.Keys);

    private static Dictionary<string, Func<List<ChatResponseUpdate>>> Cases { get; } = new()
    {
        ["text chunks with metadata and usage"] = () =>
        [
            new(ChatRole.Assistant, "Hel") { ResponseId = "r1", MessageId = "m1", ModelId = "gpt", CreatedAt = T0 },
            new(null, "lo") { ResponseId = "r1", MessageId = "m1", CreatedAt = T0.AddSeconds(2) },
            new(null, " world") { MessageId = "m1", CreatedAt = T0.AddSeconds(1) },
            new() { FinishReason = ChatFinishReason.Stop, ModelId = "gpt-2024" },
            new() { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = 4, AdditionalCounts = new() { ["k"] = 1 } })] },
            new() { Contents = [new UsageContent(new UsageDetails { OutputTokenCount = 1, AdditionalCounts = new() { ["k"] = 2 } })] },
        ],
        ["a long answer (buffer growth)"] = () =>
            [.. Enumerable.Range(0, 600).Select(i => new ChatResponseUpdate(i == 0 ? ChatRole.Assistant : null, $" word{i} é😀\"")), new() { FinishReason = ChatFinishReason.Length }],
        ["creation time given late, then earlier"] = () =>
            [new(ChatRole.Assistant, "a"), new(null, "b") { CreatedAt = T0.AddSeconds(2) }, new(null, "c") { CreatedAt = T0 }],
        ["no text at all"] = () => [new(ChatRole.Assistant, (string?)null) { ResponseId = "r" }, new() { FinishReason = ChatFinishReason.Stop }],
        ["empty texts"] = () => [new(ChatRole.Assistant, ""), new(null, "")],
        ["author name"] = () => [new(ChatRole.Assistant, "a") { AuthorName = "bot" }, new(null, "b")],
        ["function call after text (falls back)"] = () =>
        [
            new(ChatRole.Assistant, "let me check") { MessageId = "m1", CreatedAt = T0 },
            new() { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 2 })] },
            new() { Contents = [new FunctionCallContent("c1", "weather")], MessageId = "m1" },
            new(null, " more text") { CreatedAt = T0.AddSeconds(5) },
            new() { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 5 })], FinishReason = ChatFinishReason.ToolCalls },
        ],
        ["text with additional properties later (falls back)"] = () =>
            [new(ChatRole.Assistant, "a"), new(null, [new TextContent("b") { AdditionalProperties = new() { ["p"] = 1 } }]), new(null, "c")],
        ["text with additional properties first (falls back at once)"] = () =>
            [new(ChatRole.Assistant, [new TextContent("a") { AdditionalProperties = new() { ["p"] = 1 } }]), new(null, "b")],
        ["update additional properties (falls back)"] = () =>
            [new(ChatRole.Assistant, "a"), new(null, "b") { AdditionalProperties = new() { ["fingerprint"] = "fp" } }],
        ["second message by id (falls back)"] = () => [new(ChatRole.Assistant, "a") { MessageId = "m1" }, new(null, "b") { MessageId = "m2" }],
        ["second message by role (falls back)"] = () => [new(null, "a"), new(ChatRole.Tool, "b")],
        ["conversation id"] = () => [new(ChatRole.Assistant, "a") { ConversationId = "c1" }],
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void StoredEntry_IsExactlyWhatToChatResponseWouldStore(string name)
    {
        List<ChatResponseUpdate> updates = Cases[name]();
        ChatResponse expected = updates.ToChatResponse();
        using var answer = new StreamedAnswer();

        foreach (ChatResponseUpdate update in updates)
        {
            answer.Add(update);
        }

        if (answer.IsPlain)
        {
            Assert.Equal(expected.ConversationId is null, answer.IsStorablePlain);
            byte[] entry = CacheEntrySerializer.Write(DateTimeOffset.UnixEpoch.AddDays(1), "chat", "a", "m", answer.GetSnapshot());
            Assert.Equal(CacheReadResult.Hit, CacheEntrySerializer.TryRead(entry, DateTimeOffset.UnixEpoch, out CacheEntry read));
            PlainResponseJsonTests.AssertSameResponse(expected, read.Response);
            Assert.Equal(ContractEntry(expected), Encoding.UTF8.GetString(entry));
        }
        else
        {
            PlainResponseJsonTests.AssertSameResponse(expected, answer.ToChatResponse());
        }
    }

    [Theory]
    [InlineData("text chunks with metadata and usage", true)]
    [InlineData("a long answer (buffer growth)", true)]
    [InlineData("function call after text (falls back)", false)]
    [InlineData("second message by id (falls back)", false)]
    [InlineData("second message by role (falls back)", false)]
    public void TextOnlyStreams_KeepNoUpdate(string name, bool plain)
    {
        using var answer = new StreamedAnswer();
        foreach (ChatResponseUpdate update in Cases[name]())
        {
            answer.Add(update);
        }

        Assert.Equal(plain, answer.IsPlain);
    }

    [Fact]
    public void FoldingAPlainChunk_AllocatesNothing()
    {
        using var answer = new StreamedAnswer();
        var chunk = new ChatResponseUpdate(ChatRole.Assistant, " word") { ResponseId = "r", MessageId = "m", ModelId = "gpt", CreatedAt = T0 };
        for (int i = 0; i < 300; i++)
        {
            answer.Add(chunk); // warm up: the pooled buffer reaches its size
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            answer.Add(chunk);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string ContractEntry(ChatResponse response) =>
        Encoding.UTF8.GetString(CacheEntrySerializer.Write(new CacheEntry(DateTimeOffset.UnixEpoch.AddDays(1), "chat", "a", "m", response)))
            is var written && PlainResponseJson.CanWrite(response)
            ? """{"v":1,"expires":86400000,"model":"chat","provider":"a","providerModel":"m","response":""" + PlainResponseJsonTests.ContractJson(response) + "}"
            : written;
}
