using Microsoft.Extensions.AI;
using ModelGateway.Caching;
using ModelGateway.Routing;

namespace ModelGateway.Tests.Caching;

public class CacheKeyBuilderTests
{
    private static readonly ModelGroup Chat = new("chat", RoutingStrategy.Weighted, [], new ModelGroupOptions());

    [Fact]
    public void SameRequest_GivesTheSameKey_AcrossListTypes()
    {
        ChatMessage[] array = [new(ChatRole.System, "be kind"), new(ChatRole.User, "hi")];

        string? a = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, array, new ChatOptions { Temperature = 0.2f });
        string? b = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, array.Select(m => m), new ChatOptions { Temperature = 0.2f });

        Assert.NotNull(a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void LargeConversation_IsHashedIncrementally_AndEveryCharacterCounts()
    {
        // Well past the 16 KB buffer, with non-ASCII text so transcoding crosses buffer boundaries mid-character.
        string big = string.Concat(Enumerable.Repeat("Grüße, 世界! 😀 ", 10_000));
        string changedAtTheEnd = big[..^1] + "?";

        string? a1 = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, [new ChatMessage(ChatRole.User, big)], null);
        string? a2 = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, [new ChatMessage(ChatRole.User, big)], null);
        string? b = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, [new ChatMessage(ChatRole.User, changedAtTheEnd)], null);

        Assert.Equal(a1, a2);
        Assert.NotEqual(a1, b);
    }

    [Fact]
    public void MessageBoundaries_AreFramed()
    {
        string? split = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, [new(ChatRole.User, "ab"), new(ChatRole.User, "c")], null);
        string? joined = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, [new(ChatRole.User, "a"), new(ChatRole.User, "bc")], null);
        string? role = CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, [new(ChatRole.Assistant, "ab"), new(ChatRole.User, "c")], null);

        Assert.NotEqual(split, joined);
        Assert.NotEqual(split, role);
    }

    [Fact]
    public void ScopeValue_ChangesTheKey_OnlyWhenTheScopeIsNotGlobal()
    {
        ChatMessage[] messages = [new(ChatRole.User, "q")];

        Assert.NotEqual(
            CacheKeyBuilder.TryBuild(Chat, CacheScope.User, "alice", messages, null),
            CacheKeyBuilder.TryBuild(Chat, CacheScope.User, "bob", messages, null));
        Assert.NotEqual(
            CacheKeyBuilder.TryBuild(Chat, CacheScope.User, "x", messages, null),
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Team, "x", messages, null));
        Assert.Equal(
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, "alice", messages, null),
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, "bob", messages, null));
    }

    [Fact]
    public void ContentParts_ToolCallsAndResults_ChangeTheKey()
    {
        ChatMessage[] call1 = [new(ChatRole.User, "w?"), new(ChatRole.Assistant, [new FunctionCallContent("c1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]), new(ChatRole.Tool, [new FunctionResultContent("c1", "rain")])];
        ChatMessage[] call2 = [new(ChatRole.User, "w?"), new(ChatRole.Assistant, [new FunctionCallContent("c1", "weather", new Dictionary<string, object?> { ["city"] = "Rome" })]), new(ChatRole.Tool, [new FunctionResultContent("c1", "rain")])];
        ChatMessage[] result2 = [new(ChatRole.User, "w?"), new(ChatRole.Assistant, [new FunctionCallContent("c1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]), new(ChatRole.Tool, [new FunctionResultContent("c1", "sun")])];
        ChatMessage[] image1 = [new(ChatRole.User, [new TextContent("what is this?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")])];
        ChatMessage[] image2 = [new(ChatRole.User, [new TextContent("what is this?"), new DataContent(new byte[] { 1, 2, 4 }, "image/png")])];

        string?[] keys =
        [
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, call1, null),
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, call2, null),
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, result2, null),
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, image1, null),
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, image2, null),
        ];

        Assert.All(keys, Assert.NotNull);
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void GroupDefaults_ChangeTheKey()
    {
        var briefChat = new ModelGroup("chat", RoutingStrategy.Weighted, [], new ModelGroupOptions { Defaults = { SystemPrompt = "be brief" } });
        ChatMessage[] messages = [new(ChatRole.User, "q")];

        Assert.NotEqual(
            CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, messages, null),
            CacheKeyBuilder.TryBuild(briefChat, CacheScope.Global, null, messages, null));
    }

    [Fact]
    public void UndescribableRequests_GetNoKey()
    {
        ChatMessage[] messages = [new(ChatRole.User, "q")];

        Assert.Null(CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, messages, new ChatOptions { RawRepresentationFactory = _ => null }));
        Assert.Null(CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, messages, new ChatOptions { Tools = [new HostedCodeInterpreterTool()] }));
        Assert.Null(CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, messages, new ChatOptions { AdditionalProperties = new() { ["custom"] = new Unserializable() } }));
        Assert.Null(CacheKeyBuilder.TryBuild(Chat, CacheScope.Global, null, [new ChatMessage(ChatRole.User, [new CustomContent()])], null));
    }

    private sealed class Unserializable
    {
        public int Value { get; set; }
    }

    private sealed class CustomContent : AIContent;
}
