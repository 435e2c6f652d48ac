using System.Text;
using Microsoft.Extensions.AI;
using ModelGateway.Caching;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Caching;

public class StreamedCachingTests
{
    private const string Config = """
        { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" } },
          "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } },
          "Cache": { "Enabled": true, "CacheStreaming": true },
          "Resilience": { "MaxRetries": 0, "BaseDelay": "00:00:00", "MaxDelay": "00:00:00" } } }
        """;

    [Fact]
    public async Task Two_long_streams_interleaved_are_each_cached_whole_and_with_their_own_text()
    {
        // Arrange: answers far longer than the stream buffer's first size, chunk by chunk in turn.
        using TestGateway gateway = TestGateway.Create(Config);
        string[] first = [.. Enumerable.Range(0, 400).Select(i => $"first-{i} é ")];
        string[] second = [.. Enumerable.Range(0, 300).Select(i => $"second-{i} 😀 ")];
        gateway.Fakes["a"].RespondStreaming(first);
        gateway.Fakes["a"].RespondStreaming(second);

        // Act
        await using (IAsyncEnumerator<ChatResponseUpdate> a = gateway.Client.GetStreamingResponseAsync("one").GetAsyncEnumerator())
        await using (IAsyncEnumerator<ChatResponseUpdate> b = gateway.Client.GetStreamingResponseAsync("two").GetAsyncEnumerator())
        {
            bool moreA = true, moreB = true;
            while (moreA || moreB)
            {
                moreA = moreA && await a.MoveNextAsync();
                moreB = moreB && await b.MoveNextAsync();
            }
        }

        ChatResponse replayOne = await gateway.Client.GetResponseAsync("one");
        ChatResponse replayTwo = await gateway.Client.GetResponseAsync("two");

        // Assert
        Assert.True(replayOne.GetGatewayInfo()!.CacheHit);
        Assert.True(replayTwo.GetGatewayInfo()!.CacheHit);
        Assert.Equal(string.Concat(first), replayOne.Text);
        Assert.Equal(string.Concat(second), replayTwo.Text);
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
    }

    [Fact]
    public void A_reset_assembler_builds_the_next_stream_exactly_as_a_fresh_one()
    {
        // Arrange: a first stream that leaves every kind of state behind (long text, usage, ids, a fallback to updates).
        var reused = new StreamedAnswer();
        reused.Add(new ChatResponseUpdate(ChatRole.Assistant, new string('x', 5_000)) { MessageId = "m1", ResponseId = "r1", ModelId = "gpt", AuthorName = "bot" });
        reused.Add(new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 9 })], FinishReason = ChatFinishReason.Length, ConversationId = "c1" });
        reused.Add(new ChatResponseUpdate { Contents = [new FunctionCallContent("c", "f")] });
        reused.Reset();
        ChatResponseUpdate[] next =
        [
            new(ChatRole.Assistant, "Hel") { ResponseId = "r2" },
            new(null, "lo") { FinishReason = ChatFinishReason.Stop },
        ];
        using var fresh = new StreamedAnswer();

        // Act
        foreach (ChatResponseUpdate update in next)
        {
            reused.Add(update);
            fresh.Add(update);
        }

        // Assert
        Assert.True(reused.IsPlain);
        Assert.Equal(fresh.IsStorablePlain, reused.IsStorablePlain);
        DateTimeOffset expires = DateTimeOffset.UnixEpoch.AddDays(1);
        Assert.Equal(
            Encoding.UTF8.GetString(CacheEntrySerializer.Write(expires, "chat", "a", "m", fresh.GetSnapshot())),
            Encoding.UTF8.GetString(CacheEntrySerializer.Write(expires, "chat", "a", "m", reused.GetSnapshot())));
        reused.Dispose();
    }
}
