using Microsoft.Extensions.AI;
using ModelGateway;

namespace QuickStart;

/// <summary>
/// An application service that depends only on <see cref="IChatClient"/>: it never names a vendor, so the gateway (or a
/// fake, in tests) decides who answers. See samples/AppTests for how it is unit-tested.
/// </summary>
public sealed class TicketSummarizer
{
    private readonly IChatClient _chat;

    public TicketSummarizer(IChatClient chat)
    {
        _chat = chat;
    }

    /// <summary>Summarizes a support ticket in one sentence, charging the call to the support team.</summary>
    /// <returns>The summary, or a fallback text when the model is unavailable.</returns>
    public async Task<string> SummarizeAsync(string ticket, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ticket);
        ChatOptions options = new ChatOptions { MaxOutputTokens = 100 }
            .WithUser(userId)
            .WithTeam("support")
            .WithFeature("ticket-summary");
        try
        {
            ChatResponse response = await _chat.GetResponseAsync(
                [new ChatMessage(ChatRole.System, "Summarize the ticket in one sentence."), new ChatMessage(ChatRole.User, ticket)],
                options,
                cancellationToken);
            return response.Text.Trim();
        }
        catch (ModelGatewayException)
        {
            return "(summary unavailable)";
        }
    }
}
