using Microsoft.Extensions.AI;
using ModelGateway.Caching;
using ModelGateway.Routing;
using ModelGateway.Testing;

namespace ModelGateway.Tests.Caching;

public class CacheEntryReadTests
{
    private static readonly DateTimeOffset Expires = DateTimeOffset.UnixEpoch.AddDays(1);

    [Fact]
    public void Names_the_group_knows_are_reused_and_others_are_read_as_stored()
    {
        // Arrange
        var options = new ModelGroupOptions();
        options.Fallbacks.Add("backup");
        var group = new ModelGroup("chat", RoutingStrategy.Weighted, [new Deployment("openai", "gpt-4o-mini", new FakeChatClient(), null)], options);
        string alias = string.Concat("back", "up"), provider = string.Concat("open", "ai"), model = string.Concat("gpt-4o", "-mini");
        byte[] known = CacheEntrySerializer.Write(new CacheEntry(Expires, alias, provider, model, new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))));
        byte[] unknown = CacheEntrySerializer.Write(new CacheEntry(Expires, "other", "anthropic", null, new ChatResponse(new ChatMessage(ChatRole.Assistant, "y"))));

        // Act
        CacheReadResult knownResult = CacheEntrySerializer.TryRead(known, DateTimeOffset.UnixEpoch, group, out CacheEntry fromKnown);
        CacheReadResult unknownResult = CacheEntrySerializer.TryRead(unknown, DateTimeOffset.UnixEpoch, group, out CacheEntry fromUnknown);

        // Assert
        Assert.Equal(CacheReadResult.Hit, knownResult);
        Assert.Same(group.Fallbacks[0], fromKnown.Model);
        Assert.Same(group.Deployments[0].Provider, fromKnown.Provider);
        Assert.Same(group.Deployments[0].ProviderModel, fromKnown.ProviderModel);
        Assert.Equal(CacheReadResult.Hit, unknownResult);
        Assert.Equal("other", fromUnknown.Model);
        Assert.Equal("anthropic", fromUnknown.Provider);
        Assert.Null(fromUnknown.ProviderModel);
        Assert.Equal("y", fromUnknown.Response.Text);
    }

    [Fact]
    public void A_response_id_equal_to_the_message_id_is_one_string_and_a_different_one_is_kept()
    {
        // Arrange
        byte[] same = Write(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x") { MessageId = "chatcmpl-1" }) { ResponseId = "chatcmpl-1" });
        byte[] different = Write(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x") { MessageId = "msg-1" }) { ResponseId = "resp-1" });
        byte[] onlyResponse = Write(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { ResponseId = "resp-2" });

        // Act
        CacheEntrySerializer.TryRead(same, DateTimeOffset.UnixEpoch, out CacheEntry fromSame);
        CacheEntrySerializer.TryRead(different, DateTimeOffset.UnixEpoch, out CacheEntry fromDifferent);
        CacheEntrySerializer.TryRead(onlyResponse, DateTimeOffset.UnixEpoch, out CacheEntry fromOnlyResponse);

        // Assert
        Assert.Equal("chatcmpl-1", fromSame.Response.ResponseId);
        Assert.Same(fromSame.Response.Messages[0].MessageId, fromSame.Response.ResponseId);
        Assert.Equal("msg-1", fromDifferent.Response.Messages[0].MessageId);
        Assert.Equal("resp-1", fromDifferent.Response.ResponseId);
        Assert.Null(fromOnlyResponse.Response.Messages[0].MessageId);
        Assert.Equal("resp-2", fromOnlyResponse.Response.ResponseId);
    }

    private static byte[] Write(ChatResponse response) => CacheEntrySerializer.Write(new CacheEntry(Expires, "chat", "p", "m", response));
}
