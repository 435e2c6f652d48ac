using Microsoft.Extensions.AI;

namespace ModelGateway.Providers.Shared;

/// <summary>
/// The base of the built-in provider clients: the <see cref="IChatClient"/> plumbing every provider shares (its
/// <see cref="ChatClientMetadata"/> through <see cref="GetService"/>, and nothing to release on dispose, since the
/// <see cref="HttpClient"/> a provider sends with belongs to <c>IHttpClientFactory</c>). Thread-safe: one instance
/// serves every call of its provider.
/// </summary>
internal abstract class ProviderChatClient : IChatClient
{
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes the client with the metadata <see cref="GetService"/> answers with.</summary>
    protected ProviderChatClient(ChatClientMetadata metadata) => _metadata = metadata;

    /// <inheritdoc />
    public abstract Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release: the HttpClient belongs to IHttpClientFactory.
    }
}
