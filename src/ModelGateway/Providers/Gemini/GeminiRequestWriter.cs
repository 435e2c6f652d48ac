using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Gemini;

/// <summary>Writes a <c>GenerateContentRequest</c> body straight from M.E.AI messages and options.</summary>
internal static class GeminiRequestWriter
{
    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key that carries a part's <c>thoughtSignature</c> between turns.</summary>
    public const string ThoughtSignatureKey = "thoughtSignature";

    /// <summary>Call ids this client made up for function calls Gemini sent without one; they are not sent back.</summary>
    public const string GeneratedCallIdPrefix = "gemini-call-";

    public static void Write(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        writer.WriteStartObject();
        WriteContents(writer, messages);
        WriteSystemInstruction(writer, messages, options);
        WriteTools(writer, options);
        WriteGenerationConfig(writer, options);
        ChatWire.WriteAdditionalProperties(writer, options);
        writer.WriteEndObject();
    }

    private static void WriteContents(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
    {
        // functionResponse needs the function's name, which FunctionResultContent does not carry: find it from the call.
        Dictionary<string, string>? callNames = null;
        writer.WriteStartArray("contents");
        var turns = new RoleTurnWriter(writer, "parts");
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            string role = message.Role == ChatRole.Assistant ? "model" : "user";
            foreach (AIContent content in message.Contents)
            {
                if (!IsSent(content))
                {
                    continue;
                }

                turns.Enter(role);

                if (content is FunctionCallContent call)
                {
                    (callNames ??= [])[call.CallId] = call.Name;
                }

                WritePart(writer, content, callNames);
            }
        }

        turns.Close();
        writer.WriteEndArray();
    }

    private static bool IsSent(AIContent content) => content switch
    {
        TextContent text => text.Text.Length > 0,
        DataContent or UriContent or FunctionCallContent or FunctionResultContent => true,

        // Thoughts need not be sent back; only a signed one is (the signature is what the model checks).
        TextReasoningContent reasoning => Signature(reasoning) is not null,
        _ => false,
    };

    private static void WritePart(Utf8JsonWriter writer, AIContent content, Dictionary<string, string>? callNames)
    {
        writer.WriteStartObject();
        switch (content)
        {
            case TextReasoningContent reasoning:
                writer.WriteString("text", reasoning.Text);
                writer.WriteBoolean("thought", true);
                break;

            case TextContent text:
                writer.WriteString("text", text.Text);
                break;

            case DataContent data:
                writer.WriteStartObject("inlineData");
                writer.WriteString("mimeType", data.MediaType);
                writer.WriteString("data", data.Base64Data.Span);
                writer.WriteEndObject();
                break;

            case UriContent uri:
                writer.WriteStartObject("fileData");
                writer.WriteString("mimeType", uri.MediaType);
                writer.WriteString("fileUri", uri.Uri.AbsoluteUri);
                writer.WriteEndObject();
                break;

            case FunctionCallContent call:
                writer.WriteStartObject("functionCall");
                WriteCallId(writer, call.CallId);
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("args");
                ChatWire.WriteArguments(writer, call.Arguments);
                writer.WriteEndObject();
                break;

            case FunctionResultContent result:
                writer.WriteStartObject("functionResponse");
                WriteCallId(writer, result.CallId);
                writer.WriteString("name", callNames is not null && callNames.TryGetValue(result.CallId, out string? name) ? name : result.CallId);

                // response must be a JSON object: the result goes under "output", or under "error" when the call failed.
                writer.WriteStartObject("response");
                writer.WritePropertyName(result.Exception is null ? "output" : "error");
                ChatWire.WriteValue(writer, result.Result);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }

        if (Signature(content) is { } signature)
        {
            writer.WriteString("thoughtSignature", signature);
        }

        writer.WriteEndObject();
    }

    private static string? Signature(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(ThoughtSignatureKey, out object? value) == true ? value as string : null;

    private static void WriteCallId(Utf8JsonWriter writer, string callId)
    {
        if (callId.Length > 0 && !callId.StartsWith(GeneratedCallIdPrefix, StringComparison.Ordinal))
        {
            writer.WriteString("id", callId);
        }
    }

    private static void WriteSystemInstruction(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (ChatWire.Overrides(options, "systemInstruction"))
        {
            return;
        }

        bool open = false;
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            StartSystem(writer, ref open);
            WriteTextPart(writer, options.Instructions);
        }

        foreach (ChatMessage message in messages)
        {
            if (message.Role != ChatRole.System)
            {
                continue;
            }

            foreach (AIContent content in message.Contents)
            {
                if (content is TextContent { Text.Length: > 0 } text)
                {
                    StartSystem(writer, ref open);
                    WriteTextPart(writer, text.Text);
                }
            }
        }

        if (open)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        static void StartSystem(Utf8JsonWriter writer, ref bool open)
        {
            if (!open)
            {
                writer.WriteStartObject("systemInstruction");
                writer.WriteStartArray("parts");
                open = true;
            }
        }
    }

    private static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return;
        }

        bool any = false;
        if (!ChatWire.Overrides(options, "tools"))
        {
            foreach (AITool tool in tools)
            {
                if (tool is not AIFunctionDeclaration function)
                {
                    continue;
                }

                if (!any)
                {
                    writer.WriteStartArray("tools");
                    writer.WriteStartObject();
                    writer.WriteStartArray("functionDeclarations");
                    any = true;
                }

                writer.WriteStartObject();
                writer.WriteString("name", function.Name);
                if (!string.IsNullOrEmpty(function.Description))
                {
                    writer.WriteString("description", function.Description);
                }

                // parametersJsonSchema takes plain JSON Schema; "parameters" would need Google's OpenAPI subset.
                writer.WritePropertyName("parametersJsonSchema");
                function.JsonSchema.WriteTo(writer);
                writer.WriteEndObject();
            }

            if (any)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }
        }

        if (options.ToolMode is null || ChatWire.Overrides(options, "toolConfig"))
        {
            return;
        }

        writer.WriteStartObject("toolConfig");
        writer.WriteStartObject("functionCallingConfig");
        switch (options.ToolMode)
        {
            case NoneChatToolMode:
                writer.WriteString("mode", "NONE");
                break;
            case RequiredChatToolMode required:
                writer.WriteString("mode", "ANY");
                if (required.RequiredFunctionName is { } name)
                {
                    writer.WriteStartArray("allowedFunctionNames");
                    writer.WriteStringValue(name);
                    writer.WriteEndArray();
                }

                break;
            default:
                writer.WriteString("mode", "AUTO");
                break;
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options is null || ChatWire.Overrides(options, "generationConfig"))
        {
            return;
        }

        bool open = false;
        if (options.Temperature is { } temperature)
        {
            Start(writer, ref open);
            writer.WriteNumber("temperature", temperature);
        }

        if (options.TopP is { } topP)
        {
            Start(writer, ref open);
            writer.WriteNumber("topP", topP);
        }

        if (options.TopK is { } topK)
        {
            Start(writer, ref open);
            writer.WriteNumber("topK", topK);
        }

        if (options.MaxOutputTokens is { } maxTokens)
        {
            Start(writer, ref open);
            writer.WriteNumber("maxOutputTokens", maxTokens);
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            Start(writer, ref open);
            writer.WriteStartArray("stopSequences");
            foreach (string stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (options.Seed is { } seed)
        {
            Start(writer, ref open);
            writer.WriteNumber("seed", seed);
        }

        if (options.PresencePenalty is { } presence)
        {
            Start(writer, ref open);
            writer.WriteNumber("presencePenalty", presence);
        }

        if (options.FrequencyPenalty is { } frequency)
        {
            Start(writer, ref open);
            writer.WriteNumber("frequencyPenalty", frequency);
        }

        if (options.ResponseFormat is ChatResponseFormatJson json)
        {
            Start(writer, ref open);
            writer.WriteString("responseMimeType", "application/json");
            if (json.Schema is { } schema)
            {
                // responseJsonSchema takes plain JSON Schema; responseSchema would need Google's OpenAPI subset.
                writer.WritePropertyName("responseJsonSchema");
                schema.WriteTo(writer);
            }
        }

        if (options.Reasoning is { } reasoning && (reasoning.Effort is not null || reasoning.Output is not null))
        {
            Start(writer, ref open);
            writer.WriteStartObject("thinkingConfig");
            if (reasoning.Effort is { } effort)
            {
                writer.WriteNumber("thinkingBudget", ChatWire.ThinkingBudget(effort));
            }

            if (reasoning.Output is { } output)
            {
                writer.WriteBoolean("includeThoughts", output != ReasoningOutput.None);
            }

            writer.WriteEndObject();
        }

        if (open)
        {
            writer.WriteEndObject();
        }

        static void Start(Utf8JsonWriter writer, ref bool open)
        {
            if (!open)
            {
                writer.WriteStartObject("generationConfig");
                open = true;
            }
        }
    }
}
