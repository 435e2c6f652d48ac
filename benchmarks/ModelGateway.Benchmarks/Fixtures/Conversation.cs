using System.Text;
using Microsoft.Extensions.AI;

namespace ModelGateway.Benchmarks.Fixtures;

/// <summary>The prompts every benchmark sends: the same words to every client.</summary>
internal static class Conversation
{
    public const string System = "You are a concise assistant for backend engineers. Answer in one paragraph.";

    public const string User = "How should a client retry a call to a rate-limited HTTP API?";

    public const int MaxOutputTokens = 256;

    public const float Temperature = 0.2f;

    public static List<ChatMessage> Short() => [new(ChatRole.System, System), new(ChatRole.User, User)];

    public static ChatOptions Options() => new() { MaxOutputTokens = MaxOutputTokens, Temperature = Temperature };

    /// <summary>A conversation of about <paramref name="bytes"/> bytes of text in alternating turns.</summary>
    public static List<ChatMessage> Long(int bytes)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, System) };
        var random = new Random(11);
        int written = 0;
        int turn = 0;
        while (written < bytes)
        {
            var text = new StringBuilder(2048);
            while (text.Length < 2000)
            {
                text.Append(RecordedResponses.Words[random.Next(RecordedResponses.Words.Length)]);
            }

            messages.Add(new ChatMessage(turn++ % 2 == 0 ? ChatRole.User : ChatRole.Assistant, text.ToString()));
            written += text.Length;
        }

        messages.Add(new ChatMessage(ChatRole.User, User));
        return messages;
    }

    public static int TextBytes(List<ChatMessage> messages)
    {
        int total = 0;
        foreach (ChatMessage message in messages)
        {
            total += Encoding.UTF8.GetByteCount(message.Text);
        }

        return total;
    }
}
