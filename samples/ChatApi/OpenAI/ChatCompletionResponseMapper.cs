using System.Text.Json;
using ChatApi.OpenAI.Wire;
using Microsoft.Extensions.AI;

namespace ChatApi.OpenAI;

/// <summary>Turns Microsoft.Extensions.AI responses into OpenAI's chat completion objects.</summary>
internal static class ChatCompletionResponseMapper
{
    public static ChatCompletion ToCompletion(ChatResponse response, string model, long created)
    {
        List<WireToolCall>? toolCalls = null;
        foreach (ChatMessage message in response.Messages)
        {
            foreach (AIContent content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    (toolCalls ??= []).Add(new WireToolCall
                    {
                        Id = call.CallId,
                        Type = "function",
                        Function = new WireFunctionCall { Name = call.Name, Arguments = SerializeArguments(call.Arguments) },
                    });
                }
            }
        }

        string text = response.Text;
        return new ChatCompletion
        {
            Id = NewIdIfMissing(response.ResponseId),
            Created = created,
            Model = response.ModelId ?? model,
            Choices =
            [
                new CompletionChoice
                {
                    Message = new ResponseMessage { Content = text.Length == 0 && toolCalls is not null ? null : text, ToolCalls = toolCalls },
                    FinishReason = FinishReason(response.FinishReason, toolCalls is not null),
                },
            ],
            Usage = ToUsage(response.Usage),
        };
    }

    public static string FinishReason(ChatFinishReason? reason, bool calledTools)
    {
        if (reason == ChatFinishReason.Length)
        {
            return "length";
        }

        if (reason == ChatFinishReason.ContentFilter)
        {
            return "content_filter";
        }

        return reason == ChatFinishReason.ToolCalls || (reason is null && calledTools) ? "tool_calls" : "stop";
    }

    public static WireUsage? ToUsage(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }

        long input = usage.InputTokenCount ?? 0;
        long output = usage.OutputTokenCount ?? 0;
        return new WireUsage
        {
            PromptTokens = input,
            CompletionTokens = output,
            TotalTokens = usage.TotalTokenCount ?? input + output,
            PromptTokensDetails = usage.CachedInputTokenCount is { } cached ? new PromptTokensDetails { CachedTokens = cached } : null,
            CompletionTokensDetails = usage.ReasoningTokenCount is { } reasoning ? new CompletionTokensDetails { ReasoningTokens = reasoning } : null,
        };
    }

    public static string SerializeArguments(IDictionary<string, object?>? arguments) =>
        arguments is null
            ? "{}"
            : JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    public static string NewIdIfMissing(string? id) => string.IsNullOrEmpty(id) ? "chatcmpl-" + Guid.NewGuid().ToString("N") : id;
}
