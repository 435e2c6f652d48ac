using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Caching;
using ModelGateway.Routing;

namespace ModelGateway.Tests.Caching;

public class CacheKeyHasherReuseTests
{
    private static readonly ModelGroup Chat = new("chat", RoutingStrategy.Weighted, [], new ModelGroupOptions());

    [Fact]
    public void A_reused_hasher_gives_every_request_the_key_a_fresh_one_gives()
    {
        // Arrange: a long conversation (spills into the incremental hash), a short one, one with JSON, and one that
        // fails half-way through its JSON, in an order where each could leave state behind for the next.
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement;
        (IEnumerable<ChatMessage> Messages, ChatOptions? Options)[] requests =
        [
            ([new ChatMessage(ChatRole.User, new string('x', 100_000))], null),
            ([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Temperature = 0.2f }),
            ([new ChatMessage(ChatRole.User, "json")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "s") }),
            ([new ChatMessage(ChatRole.User, new string('y', 50_000))], new ChatOptions { AdditionalProperties = new() { ["first"] = 1, ["custom"] = new Unserializable() } }),
            ([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Temperature = 0.2f }),
            ([new ChatMessage(ChatRole.User, "json")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "s") }),
        ];
        using var reused = new CacheKeyHasher();

        foreach ((IEnumerable<ChatMessage> messages, ChatOptions? options) in requests)
        {
            // Act
            string? fresh = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, messages, options);
            string? again = CacheKeyBuilder.TryBuild(reused, Chat, CacheScope.Global, null, messages, options);

            // Assert
            Assert.Equal(fresh, again);
        }

        Assert.NotNull(CacheKeyBuilder.TryBuild(reused, Chat, CacheScope.Global, null, [new ChatMessage(ChatRole.User, "hi")], null));
    }

    [Fact]
    public void A_reused_hasher_allocates_only_the_key_string_once_warm()
    {
        // Arrange: the first key creates the hasher's buffer rental and its (native) hash context.
        using var hasher = new CacheKeyHasher();
        List<ChatMessage> messages = [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "What is the capital of France?")];
        var options = new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 100 };
        string first = CacheKeyBuilder.TryBuild(hasher, Chat, CacheScope.Global, null, messages, options)!;

        // Act
        long before = GC.GetAllocatedBytesForCurrentThread();
        string second = CacheKeyBuilder.TryBuild(hasher, Chat, CacheScope.Global, null, messages, options)!;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: the same key, and no new hash context (an IncrementalHash is well over the key's own ~200 bytes).
        Assert.Equal(first, second);
        Assert.InRange(allocated, 1, (2 * second.Length) + 64);
    }

    private sealed class Unserializable
    {
        public int Value { get; set; }
    }
}
