using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ModelGateway.Telemetry;

/// <summary>
/// Writes message content in the shape of the OpenTelemetry GenAI conventions (<c>gen_ai.input.messages</c>,
/// <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>): a JSON array of messages, each with a role and parts.
/// Used only when content capture is on, so it favours clarity over speed. No reflection: trimming and AOT safe.
/// </summary>
internal static class ContentFormatter
{
    public static string Input(IEnumerable<ChatMessage> messages) => Write(messages, finishReason: null);

    public static string Output(IList<ChatMessage> messages, ChatFinishReason? finishReason) => Write(messages, finishReason);

    public static string OutputText(string text, ChatFinishReason? finishReason) =>
        Write([new ChatMessage(ChatRole.Assistant, text)], finishReason);

    public static string? SystemInstructions(ChatOptions? options)
    {
        if (options?.Instructions is not { Length: > 0 } instructions)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            WriteText(writer, instructions);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Write(IEnumerable<ChatMessage> messages, ChatFinishReason? finishReason)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (ChatMessage message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.Value);
                writer.WriteStartArray("parts");
                foreach (AIContent content in message.Contents)
                {
                    WritePart(writer, content);
                }

                writer.WriteEndArray();
                if (finishReason is { } finish)
                {
                    writer.WriteString("finish_reason", finish.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WritePart(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case TextContent text:
                WriteText(writer, text.Text);
                break;
            case TextReasoningContent reasoning:
                writer.WriteStartObject();
                writer.WriteString("type", "reasoning");
                writer.WriteString("content", reasoning.Text);
                writer.WriteEndObject();
                break;
            case FunctionCallContent call:
                writer.WriteStartObject();
                writer.WriteString("type", "tool_call");
                writer.WriteString("id", call.CallId);
                writer.WriteString("name", call.Name);
                if (call.Arguments is { } arguments)
                {
                    writer.WriteStartObject("arguments");
                    foreach (KeyValuePair<string, object?> argument in arguments)
                    {
                        writer.WritePropertyName(argument.Key);
                        WriteValue(writer, argument.Value);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                break;
            case FunctionResultContent result:
                writer.WriteStartObject();
                writer.WriteString("type", "tool_call_response");
                writer.WriteString("id", result.CallId);
                writer.WritePropertyName("response");
                WriteValue(writer, result.Result);
                writer.WriteEndObject();
                break;
            case DataContent data:
                writer.WriteStartObject();
                writer.WriteString("type", "blob");
                writer.WriteString("mime_type", data.MediaType);
                writer.WriteEndObject();
                break;
            case UriContent uri:
                writer.WriteStartObject();
                writer.WriteString("type", "uri");
                writer.WriteString("mime_type", uri.MediaType);
                writer.WriteString("uri", uri.Uri.ToString());
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("content", text);
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
