using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Cohere;

/// <summary>Writes a Chat v2 request body straight from M.E.AI messages and options.</summary>
internal static class CohereRequestWriter
{
    public static void Write(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream)
    {
        writer.WriteStartObject();
        writer.WriteString("model", model);
        WriteMessages(writer, messages, options);
        WriteTools(writer, options);

        if (options is not null)
        {
            WriteNumber(writer, options, "max_tokens", options.MaxOutputTokens);
            WriteNumber(writer, options, "temperature", options.Temperature);
            WriteNumber(writer, options, "p", options.TopP);
            WriteNumber(writer, options, "k", options.TopK);
            WriteNumber(writer, options, "seed", options.Seed);
            WriteNumber(writer, options, "frequency_penalty", options.FrequencyPenalty);
            WriteNumber(writer, options, "presence_penalty", options.PresencePenalty);

            if (options.StopSequences is { Count: > 0 } stops && !ChatWire.Overrides(options, "stop_sequences"))
            {
                writer.WriteStartArray("stop_sequences");
                foreach (string stop in stops)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            if (options.ResponseFormat is ChatResponseFormatJson json && !ChatWire.Overrides(options, "response_format"))
            {
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json_object");
                if (json.Schema is { } schema)
                {
                    writer.WritePropertyName("json_schema");
                    schema.WriteTo(writer);
                }

                writer.WriteEndObject();
            }
        }

        if (stream)
        {
            writer.WriteBoolean("stream", true);
        }

        ChatWire.WriteAdditionalProperties(writer, options);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, ChatOptions options, string name, double? value)
    {
        if (value is { } number && !ChatWire.Overrides(options, name))
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, ChatOptions options, string name, float? value)
    {
        if (value is { } number && !ChatWire.Overrides(options, name))
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, ChatOptions options, string name, long? value)
    {
        if (value is { } number && !ChatWire.Overrides(options, name))
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        writer.WriteStartArray("messages");
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            writer.WriteStartObject();
            writer.WriteString("role", "system");
            writer.WriteString("content", options.Instructions);
            writer.WriteEndObject();
        }

        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                if (message.Text is { Length: > 0 } system)
                {
                    writer.WriteStartObject();
                    writer.WriteString("role", "system");
                    writer.WriteString("content", system);
                    writer.WriteEndObject();
                }
            }
            else if (message.Role == ChatRole.Assistant)
            {
                WriteAssistant(writer, message);
            }
            else
            {
                // Tool results become one tool message each; the rest of a user (or tool) message is a user message.
                foreach (AIContent content in message.Contents)
                {
                    if (content is FunctionResultContent result)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("role", "tool");
                        writer.WriteString("tool_call_id", result.CallId);
                        writer.WriteString("content", ChatWire.ResultText(result.Result));
                        writer.WriteEndObject();
                    }
                }

                WriteUser(writer, message);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteUser(Utf8JsonWriter writer, ChatMessage message)
    {
        bool open = false;
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    Open(writer, ref open);
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("text", text.Text);
                    writer.WriteEndObject();
                    break;

                case DataContent data when data.HasTopLevelMediaType("image"):
                    Open(writer, ref open);
                    WriteImage(writer, data.Uri);
                    break;

                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    Open(writer, ref open);
                    WriteImage(writer, uri.Uri.AbsoluteUri);
                    break;
            }
        }

        if (open)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        static void Open(Utf8JsonWriter writer, ref bool open)
        {
            if (!open)
            {
                writer.WriteStartObject();
                writer.WriteString("role", "user");
                writer.WriteStartArray("content");
                open = true;
            }
        }

        static void WriteImage(Utf8JsonWriter writer, string url)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "image_url");
            writer.WriteStartObject("image_url");
            writer.WriteString("url", url);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    private static void WriteAssistant(Utf8JsonWriter writer, ChatMessage message)
    {
        bool hasCalls = false;
        foreach (AIContent content in message.Contents)
        {
            hasCalls |= content is FunctionCallContent;
        }

        string text = message.Text;
        if (!hasCalls && text.Length == 0)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role", "assistant");
        if (hasCalls)
        {
            // With tool calls, the assistant's words are its tool plan (that is how Cohere returns them).
            if (text.Length > 0)
            {
                writer.WriteString("tool_plan", text);
            }

            writer.WriteStartArray("tool_calls");
            foreach (AIContent content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", call.CallId);
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", call.Name);
                    writer.WriteString("arguments", ChatWire.ArgumentsText(call.Arguments));
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("content", text);
        }

        writer.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return;
        }

        // Cohere cannot be told to call one named tool: offering only that tool, with tool_choice REQUIRED, has the same effect.
        string? only = (options.ToolMode as RequiredChatToolMode)?.RequiredFunctionName;
        bool any = false;
        if (!ChatWire.Overrides(options, "tools"))
        {
            foreach (AITool tool in tools)
            {
                if (tool is not AIFunctionDeclaration function || (only is not null && function.Name != only))
                {
                    continue;
                }

                if (!any)
                {
                    writer.WriteStartArray("tools");
                    any = true;
                }

                writer.WriteStartObject();
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", function.Name);
                if (!string.IsNullOrEmpty(function.Description))
                {
                    writer.WriteString("description", function.Description);
                }

                writer.WritePropertyName("parameters");
                function.JsonSchema.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (any)
            {
                writer.WriteEndArray();
            }
        }

        if (ChatWire.Overrides(options, "tool_choice"))
        {
            return;
        }

        if (options.ToolMode is RequiredChatToolMode)
        {
            writer.WriteString("tool_choice", "REQUIRED");
        }
        else if (options.ToolMode is NoneChatToolMode)
        {
            writer.WriteString("tool_choice", "NONE");
        }
    }
}
