using Microsoft.Extensions.AI;

namespace ChatApi.Tests;

/// <summary>A decorator that rejects every request with the given exception, as the gateway's own limiters do.</summary>
internal sealed class ThrowingChatClient(IChatClient inner, Exception exception) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromException<ChatResponse>(exception);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw exception;
}
