using System.Text;
using Microsoft.Extensions.AI;
using ModelGateway.Buffers;
using ModelGateway.Caching;

namespace ModelGateway.Tests.Caching;

public class PooledJsonWriterTests
{
    private static readonly DateTimeOffset Expires = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void A_reused_writer_writes_the_same_bytes_as_a_fresh_one_for_every_entry_in_turn()
    {
        // Arrange: long (beyond the first buffer), short, contract-only, and a failing entry in the middle.
        CacheEntry[] entries =
        [
            Entry(new ChatResponse(new ChatMessage(ChatRole.Assistant, new string('x', 20_000) + " é 😀")) { ResponseId = "r-1", FinishReason = ChatFinishReason.Stop }),
            Entry(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))),
            Entry(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "weather")]))),
            Entry(new ChatResponse(new ChatMessage(ChatRole.Assistant, "short again")) { Usage = new UsageDetails { InputTokenCount = 3 } }),
        ];
        var reused = new PooledJsonWriter();

        foreach (CacheEntry entry in entries)
        {
            // Act
            byte[] fresh = CacheEntrySerializer.Write(entry);
            byte[] again = CacheEntrySerializer.Write(reused, entry);

            // Assert
            Assert.Equal(Encoding.UTF8.GetString(fresh), Encoding.UTF8.GetString(again));
        }
    }

    [Fact]
    public void A_writer_is_clean_again_after_an_entry_the_contract_cannot_write()
    {
        // Arrange
        var writer = new PooledJsonWriter();
        CacheEntry unknown = Entry(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("before"), new UnknownContent()])));
        CacheEntry plain = Entry(new ChatResponse(new ChatMessage(ChatRole.Assistant, "after")));

        // Act
        Assert.Throws<NotSupportedException>(() => CacheEntrySerializer.Write(writer, unknown));
        byte[] written = CacheEntrySerializer.Write(writer, plain);

        // Assert
        Assert.Equal(CacheEntrySerializer.Write(plain), written);
        Assert.Equal(CacheReadResult.Hit, CacheEntrySerializer.TryRead(written, DateTimeOffset.UnixEpoch, out CacheEntry read));
        Assert.Equal("after", read.Response.Text);
    }

    [Fact]
    public void A_streamed_answer_written_with_a_reused_writer_matches_a_fresh_one()
    {
        // Arrange
        var writer = new PooledJsonWriter();
        _ = CacheEntrySerializer.Write(writer, Entry(new ChatResponse(new ChatMessage(ChatRole.Assistant, new string('y', 9_000)))));
        using var answer = new StreamedAnswer();
        answer.Add(new ChatResponseUpdate(ChatRole.Assistant, "one ") { ResponseId = "r", MessageId = "m" });
        answer.Add(new ChatResponseUpdate(null, "two") { FinishReason = ChatFinishReason.Stop });

        // Act
        byte[] fresh = CacheEntrySerializer.Write(Expires, "chat", "p", "m", answer.GetSnapshot());
        byte[] reused = CacheEntrySerializer.Write(writer, Expires, "chat", "p", "m", answer.GetSnapshot());

        // Assert
        Assert.Equal(Encoding.UTF8.GetString(fresh), Encoding.UTF8.GetString(reused));
    }

    [Fact]
    public void The_pool_never_hands_one_writer_to_two_holders_and_reuses_a_returned_one()
    {
        // Arrange
        var pool = new ReusePool<PooledJsonWriter>();

        // Act
        PooledJsonWriter first = pool.Rent();
        PooledJsonWriter second = pool.Rent();
        pool.Return(first);
        PooledJsonWriter third = pool.Rent();

        // Assert
        Assert.NotSame(first, second);
        Assert.Same(first, third);
    }

    [Fact]
    public void The_pool_disposes_an_object_it_has_no_slot_for_and_keeps_the_others_alive()
    {
        // Arrange
        var pool = new ReusePool<DisposalProbe>();
        var rented = new List<DisposalProbe>();
        for (int i = 0; i < 40; i++)
        {
            rented.Add(pool.Rent());
        }

        // Act
        foreach (DisposalProbe probe in rented)
        {
            pool.Return(probe);
        }

        // Assert: the pool keeps between 2 and 16 (one per core), and every object it dropped was released.
        int kept = rented.Count(p => !p.Disposed);
        Assert.InRange(kept, 2, 16);
        Assert.Equal(rented.Count - kept, rented.Count(p => p.Disposed));
        Assert.All(Enumerable.Range(0, kept).Select(_ => pool.Rent()), p => Assert.False(p.Disposed));
    }

    private sealed class DisposalProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private static CacheEntry Entry(ChatResponse response) => new(Expires, "chat", "openai", "gpt-4o-mini", response);

    private sealed class UnknownContent : AIContent;
}
