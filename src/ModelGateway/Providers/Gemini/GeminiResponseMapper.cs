using System.Globalization;
using Microsoft.Extensions.AI;

namespace ModelGateway.Providers.Gemini;

/// <summary>Maps <c>GenerateContentResponse</c> parts, finish reasons and usage to M.E.AI types.</summary>
internal static class GeminiResponseMapper
{
    /// <summary>Maps the first candidate's parts; <paramref name="sawFunctionCall"/> is set when any part is a function call.</summary>
    public static List<AIContent> ToContents(GeminiGenerateContentResponse response, ref int generatedCallIds, ref bool sawFunctionCall)
    {
        var contents = new List<AIContent>();
        if (response.Candidates is not [{ Content.Parts: { } parts }, ..])
        {
            return contents;
        }

        foreach (GeminiPart part in parts)
        {
            AIContent? content = null;
            if (part.FunctionCall is { } call)
            {
                string callId = string.IsNullOrEmpty(call.Id)
                    ? GeminiRequestWriter.GeneratedCallIdPrefix + (++generatedCallIds).ToString(CultureInfo.InvariantCulture)
                    : call.Id;
                content = Shared.ChatWire.ArgumentsFrom(call.Args) is { } arguments
                    ? new FunctionCallContent(callId, call.Name ?? string.Empty, arguments)
                    : new FunctionCallContent(callId, call.Name ?? string.Empty) { Exception = new InvalidOperationException("The functionCall args are not a JSON object.") };
                sawFunctionCall = true;
            }
            else if (part.Text is { } text)
            {
                content = part.Thought == true ? new TextReasoningContent(text) : new TextContent(text);
            }
            else if (part.InlineData is { Data: { } data } blob)
            {
                content = new DataContent(Convert.FromBase64String(data), blob.MimeType ?? "application/octet-stream");
            }
            else if (part.ThoughtSignature is not null)
            {
                // A signature on an otherwise empty part (streams end thoughts like this): keep it so it can go back.
                content = new TextReasoningContent(string.Empty);
            }

            if (content is null)
            {
                continue;
            }

            if (part.ThoughtSignature is { } signature)
            {
                (content.AdditionalProperties ??= [])[GeminiRequestWriter.ThoughtSignatureKey] = signature;
            }

            content.RawRepresentation = part;
            contents.Add(content);
        }

        return contents;
    }

    public static ChatFinishReason? FinishReason(string? finishReason, bool sawFunctionCall) => finishReason switch
    {
        null => null,
        "STOP" => sawFunctionCall ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY"
            or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" or "MODEL_ARMOR" => ChatFinishReason.ContentFilter,

        // MALFORMED_FUNCTION_CALL, LANGUAGE, OTHER, … keep Gemini's own name.
        _ => new ChatFinishReason(finishReason),
    };

    /// <summary>Normalises usage: input counts the prompt (cached part included) and tool-use prompt; output counts candidates and thoughts.</summary>
    public static UsageDetails ToUsage(GeminiUsageMetadata usage)
    {
        long input = (usage.PromptTokenCount ?? 0) + (usage.ToolUsePromptTokenCount ?? 0);
        long output = (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0);
        return new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = usage.TotalTokenCount ?? input + output,
            CachedInputTokenCount = usage.CachedContentTokenCount,
            ReasoningTokenCount = usage.ThoughtsTokenCount,
        };
    }

    /// <summary>Parses a protobuf JSON <c>Duration</c> (<c>"21s"</c>, <c>"0.5s"</c>).</summary>
    public static TimeSpan? ParseDuration(string? duration) =>
        duration is { Length: > 1 } && duration[^1] == 's'
            && double.TryParse(duration.AsSpan(0, duration.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
