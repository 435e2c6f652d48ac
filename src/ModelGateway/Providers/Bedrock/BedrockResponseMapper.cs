using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.Bedrock.Wire;

namespace ModelGateway.Providers.Bedrock;

/// <summary>Turns Converse answers and stream events into M.E.AI types.</summary>
internal static class BedrockResponseMapper
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key for the input tokens written to the prompt cache.</summary>
    public const string CacheWriteInputTokenCountKey = Shared.ChatWire.CacheCreationInputTokensKey;

    public static ChatResponse ToChatResponse(ConverseResponse response, string modelId, string? requestId, DateTimeOffset createdAt)
    {
        Message message = response.Output?.Message
            ?? throw new InvalidDataException("The Converse answer has no output.message.");
        var chatMessage = new ChatMessage(ChatRole.Assistant, (IList<AIContent>)MapContents(message.Content)) { MessageId = requestId };
        var chatResponse = new ChatResponse(chatMessage)
        {
            ResponseId = requestId,
            ModelId = modelId,
            CreatedAt = createdAt,
            FinishReason = FinishReason(response.StopReason),
            Usage = Usage(response.Usage),
            RawRepresentation = response,
        };
        if (response.AdditionalModelResponseFields is { ValueKind: JsonValueKind.Object } extra)
        {
            (chatResponse.AdditionalProperties ??= [])["additionalModelResponseFields"] = extra;
        }

        return chatResponse;
    }

    public static ChatFinishReason? FinishReason(string? stopReason) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "guardrail_intervened" or "content_filtered" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(stopReason),
    };

    /// <summary>
    /// Maps usage. Bedrock's <c>inputTokens</c> leaves out cached tokens, so the input count adds the cache reads and
    /// writes back; cache reads are also <see cref="UsageDetails.CachedInputTokenCount"/> and cache writes an additional count.
    /// </summary>
    public static UsageDetails? Usage(TokenUsage? usage)
    {
        if (usage is null)
        {
            return null;
        }

        long cacheRead = usage.CacheReadInputTokens ?? 0;
        long cacheWrite = usage.CacheWriteInputTokens ?? 0;
        var details = new UsageDetails
        {
            InputTokenCount = usage.InputTokens is { } input ? input + cacheRead + cacheWrite : null,
            OutputTokenCount = usage.OutputTokens,
            TotalTokenCount = usage.TotalTokens,
            CachedInputTokenCount = usage.CacheReadInputTokens,
        };
        if (usage.CacheWriteInputTokens is { } written)
        {
            details.AdditionalCounts = new() { [CacheWriteInputTokenCountKey] = written };
        }

        return details;
    }

    /// <summary>Parses a tool call's JSON input into arguments; the values stay <see cref="JsonElement"/>s.</summary>
    public static Dictionary<string, object?>? Arguments(JsonElement? input)
    {
        if (input is not { ValueKind: JsonValueKind.Object } element)
        {
            return input is null or { ValueKind: JsonValueKind.Null } ? null : throw new InvalidDataException("A toolUse input is not a JSON object.");
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            arguments[property.Name] = property.Value;
        }

        return arguments;
    }

    private static List<AIContent> MapContents(List<ContentBlock>? blocks)
    {
        var contents = new List<AIContent>(blocks?.Count ?? 0);
        if (blocks is null)
        {
            return contents;
        }

        foreach (ContentBlock block in blocks)
        {
            if (block.Text is { } text)
            {
                contents.Add(new TextContent(text));
            }
            else if (block.ToolUse is { } toolUse)
            {
                contents.Add(new FunctionCallContent(
                    toolUse.ToolUseId ?? throw new InvalidDataException("A toolUse block has no toolUseId."),
                    toolUse.Name ?? throw new InvalidDataException("A toolUse block has no name."),
                    Arguments(toolUse.Input)));
            }
            else if (block.ReasoningContent?.ReasoningText is { } reasoning)
            {
                contents.Add(new TextReasoningContent(reasoning.Text) { ProtectedData = reasoning.Signature });
            }
        }

        return contents;
    }
}
