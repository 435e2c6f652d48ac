using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.OpenAI.Wire;

namespace ModelGateway.Providers.OpenAI;

/// <summary>Maps Chat Completions answers back to Microsoft.Extensions.AI types.</summary>
internal static class OpenAIResponseMapper
{
    /// <summary>The <see cref="ErrorContent.ErrorCode"/> of a refusal (the model declined; its text is the message).</summary>
    public const string RefusalErrorCode = "Refusal";

    public static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null or "" => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    public static DateTimeOffset? ToCreatedAt(long? created) =>
        created is > 0 and < 253402300800 ? DateTimeOffset.FromUnixTimeSeconds(created.Value) : null;

    public static UsageDetails ToUsage(WireUsage usage) => new()
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens ?? (usage.PromptTokens + usage.CompletionTokens),
        CachedInputTokenCount = usage.PromptTokensDetails?.CachedTokens,
        ReasoningTokenCount = usage.CompletionTokensDetails?.ReasoningTokens,
    };

    public static FunctionCallContent ToFunctionCall(string? id, string? name, string? arguments) =>
        FunctionCallContent.CreateFromParsedArguments(arguments ?? string.Empty, id ?? string.Empty, name ?? string.Empty, static json => ParseArguments(json));

    /// <summary>Builds the response of a non-streamed call from its first choice.</summary>
    public static ChatResponse ToChatResponse(WireChatCompletion completion, WireChoice choice)
    {
        WireMessage? message = choice.Message;

        // Sized for what the message carries (one text, usually) rather than grown from the default.
        var contents = new List<AIContent>(message is null ? 0 : Count(message.ReasoningContent) + Count(message.Content) + Count(message.Refusal) + (message.ToolCalls?.Count ?? 0));
        if (message is not null)
        {
            if (!string.IsNullOrEmpty(message.ReasoningContent))
            {
                contents.Add(new TextReasoningContent(message.ReasoningContent));
            }

            if (!string.IsNullOrEmpty(message.Content))
            {
                contents.Add(new TextContent(message.Content));
            }

            if (!string.IsNullOrEmpty(message.Refusal))
            {
                contents.Add(new ErrorContent(message.Refusal) { ErrorCode = RefusalErrorCode });
            }

            if (message.ToolCalls is { } calls)
            {
                foreach (WireToolCall call in calls)
                {
                    contents.Add(ToFunctionCall(call.Id, call.Function?.Name, call.Function?.Arguments));
                }
            }
        }

        var chatMessage = new ChatMessage(ChatRole.Assistant, contents) { MessageId = completion.Id };
        return new ChatResponse(chatMessage)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = ToCreatedAt(completion.Created),
            FinishReason = ToFinishReason(choice.FinishReason),
            Usage = completion.Usage is { } usage ? ToUsage(usage) : null,
            RawRepresentation = completion,
        };
    }

    private static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : 1;

    private static Dictionary<string, object?>? ParseArguments(string json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.DictionaryStringObject);
}
