using Microsoft.Extensions.AI;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Anthropic;

/// <summary>Maps Messages API responses, stop reasons and usage to M.E.AI types.</summary>
internal static class AnthropicResponseMapper
{
    public static ChatResponse ToChatResponse(AnthropicMessageResponse response, string model)
    {
        var contents = new List<AIContent>(response.Content?.Count ?? 0);
        if (response.Content is { } blocks)
        {
            foreach (AnthropicContentBlock block in blocks)
            {
                if (ToContent(block) is { } content)
                {
                    contents.Add(content);
                }
            }
        }

        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = response.Id };
        return new ChatResponse(message)
        {
            ResponseId = response.Id,
            ModelId = response.Model ?? model,
            FinishReason = FinishReason(response.StopReason),
            Usage = response.Usage is { } usage ? ToUsage(usage) : null,
            RawRepresentation = response,
        };
    }

    /// <summary>Maps a complete content block; <see langword="null"/> for block types this client does not surface (server tools).</summary>
    public static AIContent? ToContent(AnthropicContentBlock block) => block.Type switch
    {
        "text" => new TextContent(block.Text ?? string.Empty) { RawRepresentation = block },
        "thinking" => new TextReasoningContent(block.Thinking ?? string.Empty) { ProtectedData = block.Signature, RawRepresentation = block },
        "redacted_thinking" => new TextReasoningContent(string.Empty) { ProtectedData = block.Data, RawRepresentation = block },
        "tool_use" => ToolCall(block),
        _ => null,
    };

    public static ChatFinishReason? FinishReason(string? stopReason) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,

        // pause_turn (a long server-tool turn paused; send the conversation back to continue) and anything newer keep their own name.
        _ => new ChatFinishReason(stopReason),
    };

    /// <summary>Normalises usage: input counts every prompt token, cached or not (see docs/providers.md, "Usage normalisation").</summary>
    public static UsageDetails ToUsage(AnthropicUsage usage) =>
        ToUsage(usage.InputTokens, usage.OutputTokens, usage.CacheReadInputTokens, usage.CacheCreationInputTokens);

    public static UsageDetails ToUsage(long? inputTokens, long? outputTokens, long? cacheRead, long? cacheCreation)
    {
        long input = (inputTokens ?? 0) + (cacheRead ?? 0) + (cacheCreation ?? 0);
        long output = outputTokens ?? 0;
        var details = new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = input + output,
            CachedInputTokenCount = cacheRead,
        };

        if (cacheCreation is > 0)
        {
            details.AdditionalCounts = new AdditionalPropertiesDictionary<long> { [ChatWire.CacheCreationInputTokensKey] = cacheCreation.Value };
        }

        return details;
    }

    private static FunctionCallContent ToolCall(AnthropicContentBlock block)
    {
        string id = block.Id ?? string.Empty;
        string name = block.Name ?? string.Empty;
        return ChatWire.ArgumentsFrom(block.Input) is { } arguments
            ? new FunctionCallContent(id, name, arguments) { RawRepresentation = block }
            : new FunctionCallContent(id, name) { Exception = new InvalidOperationException("The tool_use input is not a JSON object."), RawRepresentation = block };
    }
}
