using Microsoft.Extensions.AI;

namespace ModelGateway.Routing;

/// <summary>
/// A cheap estimate of a prompt's size in tokens, for routes (<c>MinInputTokens</c>) and pre-call checks. It counts
/// characters of text content at about four per token (the usual ratio for English with GPT/Claude tokenizers; code and
/// non-Latin scripts tokenize denser, so it tends to under-count those by up to about 2×) plus a few tokens per message.
/// </summary>
internal static class TokenEstimator
{
    private const int CharsPerToken = 4;
    private const int TokensPerMessage = 4;
    private const int TokensPerNonTextPart = 85;

    public static int Estimate(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        long chars = options?.Instructions?.Length ?? 0;
        long tokens = 0;
        if (messages is IList<ChatMessage> list)
        {
            // Indexed: no boxed enumerator per request (a List or array of messages is what callers pass).
            for (int i = 0; i < list.Count; i++)
            {
                Add(list[i], ref chars, ref tokens);
            }
        }
        else
        {
            foreach (ChatMessage message in messages)
            {
                Add(message, ref chars, ref tokens);
            }
        }

        tokens += (chars + CharsPerToken - 1) / CharsPerToken;
        return tokens > int.MaxValue ? int.MaxValue : (int)tokens;
    }

    private static void Add(ChatMessage message, ref long chars, ref long tokens)
    {
        tokens += TokensPerMessage;
        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text:
                    chars += text.Text?.Length ?? 0;
                    break;
                case TextReasoningContent reasoning:
                    chars += reasoning.Text?.Length ?? 0;
                    break;
                case FunctionResultContent result:
                    chars += result.Result?.ToString()?.Length ?? 0;
                    break;
                default:
                    tokens += TokensPerNonTextPart;
                    break;
            }
        }
    }
}
