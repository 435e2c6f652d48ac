using Microsoft.Extensions.AI;

namespace ModelGateway.Testing;

/// <summary>One request a <see cref="FakeChatClient"/> received, as it received it.</summary>
public sealed class FakeChatRequest
{
    internal FakeChatRequest(IReadOnlyList<ChatMessage> messages, ChatOptions? options, bool isStreaming, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        Messages = messages;
        Options = options;
        IsStreaming = isStreaming;
        ReceivedAt = receivedAt;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the messages of the request (a copy of the list; the message objects are the caller's).</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>Gets a copy of the options the client was called with, or <see langword="null"/>.</summary>
    public ChatOptions? Options { get; }

    /// <summary>Gets whether the request was a streaming one.</summary>
    public bool IsStreaming { get; }

    /// <summary>Gets when the request arrived, on the client's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the cancellation token the client was called with.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Gets the text of the last user message, or an empty string.</summary>
    public string LastUserText
    {
        get
        {
            for (int i = Messages.Count - 1; i >= 0; i--)
            {
                if (Messages[i].Role == ChatRole.User)
                {
                    return Messages[i].Text;
                }
            }

            return string.Empty;
        }
    }
}
