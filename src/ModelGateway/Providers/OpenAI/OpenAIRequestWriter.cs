using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ModelGateway.Buffers;

namespace ModelGateway.Providers.OpenAI;

/// <summary>
/// Writes a Chat Completions request body straight from <see cref="ChatMessage"/>s and <see cref="ChatOptions"/> with a
/// <see cref="Utf8JsonWriter"/>: no intermediate request objects, and every field the caller passes through lands as is.
/// </summary>
/// <remarks>
/// Precedence for a body field: the raw representation from <see cref="ChatOptions.RawRepresentationFactory"/> (a
/// <see cref="JsonObject"/> or a dictionary of fields), then <see cref="ChatOptions.AdditionalProperties"/>, then the
/// field mapped from the typed options. A field is written once.
/// </remarks>
internal static class OpenAIRequestWriter
{
    /// <summary>The additional property (the same key as Microsoft.Extensions.AI's OpenAI client) that turns on strict JSON schemas.</summary>
    public const string StrictJsonSchemaKey = "strictJsonSchema";

    private const string DefaultSchemaName = "response";

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true };

    /// <summary>Writes the body with <paramref name="body"/>, a kept writer whose buffer is rented for this body and given back before this returns.</summary>
    public static byte[] Write(PooledJsonWriter body, IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream, OpenAIEndpoint endpoint)
    {
        Utf8JsonWriter writer = body.Begin();
        try
        {
            object? raw = options?.RawRepresentationFactory?.Invoke(client);
            var fields = new FieldSet(raw, options?.AdditionalProperties);

            writer.WriteStartObject();
            if (endpoint.ModelInBody && fields.IsFree("model"))
            {
                writer.WriteString("model"u8, model);
            }

            if (fields.IsFree("messages"))
            {
                WriteMessages(writer, messages, options?.Instructions);
            }

            if (options is not null)
            {
                WriteOptions(writer, options, endpoint, fields);
            }

            if (stream)
            {
                if (fields.IsFree("stream"))
                {
                    writer.WriteBoolean("stream"u8, true);
                }

                if (endpoint.SendStreamOptions && fields.IsFree("stream_options"))
                {
                    writer.WriteStartObject("stream_options"u8);
                    writer.WriteBoolean("include_usage"u8, true);
                    writer.WriteEndObject();
                }
            }
            else if (fields.IsFree("stream"))
            {
                writer.WriteBoolean("stream"u8, false);
            }

            WritePassThrough(writer, raw, options?.AdditionalProperties);
            writer.WriteEndObject();
            return body.Finish();
        }
        finally
        {
            body.Release();
        }
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options, OpenAIEndpoint endpoint, FieldSet fields)
    {
        bool strict = options.AdditionalProperties?.TryGetValue(StrictJsonSchemaKey, out object? s) == true && s is true;

        if (options.Temperature is { } temperature && fields.IsFree("temperature"))
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (options.TopP is { } topP && fields.IsFree("top_p"))
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (options.MaxOutputTokens is { } maxTokens && fields.IsFree(endpoint.MaxTokensField))
        {
            writer.WriteNumber(endpoint.MaxTokensField, maxTokens);
        }

        if (options.StopSequences is { Count: > 0 } stop && fields.IsFree("stop"))
        {
            writer.WriteStartArray("stop"u8);
            foreach (string sequence in stop)
            {
                writer.WriteStringValue(sequence);
            }

            writer.WriteEndArray();
        }

        if (options.Seed is { } seed && fields.IsFree("seed"))
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (options.FrequencyPenalty is { } frequencyPenalty && fields.IsFree("frequency_penalty"))
        {
            writer.WriteNumber("frequency_penalty"u8, frequencyPenalty);
        }

        if (options.PresencePenalty is { } presencePenalty && fields.IsFree("presence_penalty"))
        {
            writer.WriteNumber("presence_penalty"u8, presencePenalty);
        }

        if (options.Reasoning?.Effort is { } effort && fields.IsFree("reasoning_effort"))
        {
            writer.WriteString("reasoning_effort"u8, effort switch
            {
                ReasoningEffort.None => "none",
                ReasoningEffort.Low => "low",
                ReasoningEffort.Medium => "medium",
                ReasoningEffort.High => "high",
                _ => "xhigh",
            });
        }

        if (options.ResponseFormat is { } format && fields.IsFree("response_format"))
        {
            WriteResponseFormat(writer, format, strict);
        }

        bool hasTools = false;
        if (options.Tools is { Count: > 0 } tools && fields.IsFree("tools"))
        {
            writer.WriteStartArray("tools"u8);
            foreach (AITool tool in tools)
            {
                if (tool is AIFunctionDeclaration function)
                {
                    hasTools = true;
                    WriteTool(writer, function, strict);
                }
            }

            writer.WriteEndArray();
        }

        if (options.ToolMode is { } mode && fields.IsFree("tool_choice"))
        {
            switch (mode)
            {
                case NoneChatToolMode:
                    writer.WriteString("tool_choice"u8, "none");
                    break;
                case AutoChatToolMode:
                    writer.WriteString("tool_choice"u8, "auto");
                    break;
                case RequiredChatToolMode { RequiredFunctionName: { } name }:
                    writer.WriteStartObject("tool_choice"u8);
                    writer.WriteString("type"u8, "function");
                    writer.WriteStartObject("function"u8);
                    writer.WriteString("name"u8, name);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                case RequiredChatToolMode:
                    writer.WriteString("tool_choice"u8, "required");
                    break;
            }
        }

        if (hasTools && options.AllowMultipleToolCalls is { } parallel && fields.IsFree("parallel_tool_calls"))
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat format, bool strict)
    {
        writer.WriteStartObject("response_format"u8);
        if (format is ChatResponseFormatJson json)
        {
            if (json.Schema is { } schema)
            {
                writer.WriteString("type"u8, "json_schema");
                writer.WriteStartObject("json_schema"u8);
                writer.WriteString("name"u8, string.IsNullOrEmpty(json.SchemaName) ? DefaultSchemaName : json.SchemaName);
                if (!string.IsNullOrEmpty(json.SchemaDescription))
                {
                    writer.WriteString("description"u8, json.SchemaDescription);
                }

                writer.WritePropertyName("schema"u8);
                schema.WriteTo(writer);
                if (strict)
                {
                    writer.WriteBoolean("strict"u8, true);
                }

                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("type"u8, "json_object");
            }
        }
        else
        {
            writer.WriteString("type"u8, "text");
        }

        writer.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter writer, AIFunctionDeclaration function, bool strictByDefault)
    {
        bool strict = strictByDefault;
        if (function.AdditionalProperties.TryGetValue(StrictJsonSchemaKey, out object? value) || function.AdditionalProperties.TryGetValue("strict", out value))
        {
            strict = value is true;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "function");
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, function.Name);
        if (!string.IsNullOrEmpty(function.Description))
        {
            writer.WriteString("description"u8, function.Description);
        }

        writer.WritePropertyName("parameters"u8);
        function.JsonSchema.WriteTo(writer);
        if (strict)
        {
            writer.WriteBoolean("strict"u8, true);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, string? instructions)
    {
        writer.WriteStartArray("messages"u8);
        if (!string.IsNullOrEmpty(instructions))
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, "system");
            writer.WriteString("content"u8, instructions);
            writer.WriteEndObject();
        }

        // A list (what callers nearly always pass) is walked by index: no boxed enumerator per request.
        if (messages is IList<ChatMessage> list)
        {
            for (int i = 0; i < list.Count; i++)
            {
                WriteMessage(writer, list[i]);
            }
        }
        else
        {
            foreach (ChatMessage message in messages)
            {
                WriteMessage(writer, message);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        IList<AIContent> contents = message.Contents;
        int texts = 0, media = 0, calls = 0, results = 0;
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent:
                    texts++;
                    break;
                case DataContent or UriContent or HostedFileContent:
                    media++;
                    break;
                case FunctionCallContent:
                    calls++;
                    break;
                case FunctionResultContent:
                    results++;
                    break;
            }
        }

        // Tool results are their own messages on this wire, one per call, whatever message carried them.
        if (results > 0)
        {
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is FunctionResultContent result)
                {
                    WriteToolResult(writer, result);
                }
            }

            if (texts + media + calls == 0)
            {
                return;
            }
        }

        ChatRole role = message.Role;
        if (role == ChatRole.Tool && texts + media + calls == 0)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, role == ChatRole.Tool ? "user" : role.Value);
        if (!string.IsNullOrEmpty(message.AuthorName))
        {
            writer.WriteString("name"u8, message.AuthorName);
        }

        if (role == ChatRole.Assistant)
        {
            if (texts > 0)
            {
                writer.WriteString("content"u8, ConcatText(contents, texts));
            }
            else if (calls > 0)
            {
                writer.WriteNull("content"u8);
            }
            else
            {
                writer.WriteString("content"u8, string.Empty);
            }

            if (calls > 0)
            {
                writer.WriteStartArray("tool_calls"u8);
                for (int i = 0; i < contents.Count; i++)
                {
                    if (contents[i] is FunctionCallContent call)
                    {
                        WriteToolCall(writer, call);
                    }
                }

                writer.WriteEndArray();
            }
        }
        else if (media == 0 || role == ChatRole.System)
        {
            writer.WriteString("content"u8, ConcatText(contents, texts));
        }
        else
        {
            writer.WriteStartArray("content"u8);
            for (int i = 0; i < contents.Count; i++)
            {
                WriteContentPart(writer, contents[i]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static string ConcatText(IList<AIContent> contents, int texts)
    {
        if (texts == 1)
        {
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is TextContent text)
                {
                    return text.Text;
                }
            }
        }

        var builder = new System.Text.StringBuilder();
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent text)
            {
                builder.Append(text.Text);
            }
        }

        return builder.ToString();
    }

    private static void WriteContentPart(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case TextContent text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text");
                writer.WriteString("text"u8, text.Text);
                writer.WriteEndObject();
                break;

            case DataContent data when data.HasTopLevelMediaType("image"):
                WriteImagePart(writer, data.Uri);
                break;

            case UriContent uri when uri.HasTopLevelMediaType("image"):
                WriteImagePart(writer, uri.Uri.ToString());
                break;

            case DataContent data when data.HasTopLevelMediaType("audio"):
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_audio");
                writer.WriteStartObject("input_audio"u8);
                writer.WriteString("data"u8, data.Base64Data.Span);
                writer.WriteString("format"u8, data.MediaType is "audio/mpeg" or "audio/mp3" ? "mp3" : "wav");
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;

            case DataContent data:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "file");
                writer.WriteStartObject("file"u8);
                writer.WriteString("file_data"u8, data.Base64Data.Span);
                if (!string.IsNullOrEmpty(data.Name))
                {
                    writer.WriteString("filename"u8, data.Name);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                break;

            case HostedFileContent file:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "file");
                writer.WriteStartObject("file"u8);
                writer.WriteString("file_id"u8, file.FileId);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteImagePart(Utf8JsonWriter writer, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image_url");
        writer.WriteStartObject("image_url"u8);
        writer.WriteString("url"u8, url);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteToolCall(Utf8JsonWriter writer, FunctionCallContent call)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, call.CallId);
        writer.WriteString("type"u8, "function");
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, call.Name);
        if (call.Arguments is null)
        {
            writer.WriteString("arguments"u8, "{}");
        }
        else
        {
            WriteAsJsonString(writer, "arguments", call.Arguments, typeof(IDictionary<string, object?>));
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteToolResult(Utf8JsonWriter writer, FunctionResultContent result)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, "tool");
        writer.WriteString("tool_call_id"u8, result.CallId);
        switch (result.Result)
        {
            case null:
                writer.WriteString("content"u8, string.Empty);
                break;
            case string text:
                writer.WriteString("content"u8, text);
                break;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                writer.WriteString("content"u8, element.GetString());
                break;
            case object value:
                WriteAsJsonString(writer, "content", value, value.GetType());
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <paramref name="value"/> serialized to compact JSON, as a string property (tool arguments and results travel as JSON text).</summary>
    private static void WriteAsJsonString(Utf8JsonWriter writer, string name, object value, Type type)
    {
        using var buffer = new PooledByteBufferWriter(256);
        using (var inner = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            // The writer's options decide the layout, so AIJsonUtilities' indented default does not leak into the text.
            JsonSerializer.Serialize(inner, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(type));
        }

        writer.WriteString(name, buffer.WrittenSpan);
    }

    private static void WritePassThrough(Utf8JsonWriter writer, object? raw, AdditionalPropertiesDictionary? additional)
    {
        if (additional is not null)
        {
            foreach (KeyValuePair<string, object?> property in additional)
            {
                if (property.Key == StrictJsonSchemaKey || RawContains(raw, property.Key))
                {
                    continue;
                }

                writer.WritePropertyName(property.Key);
                WriteValue(writer, property.Value);
            }
        }

        switch (raw)
        {
            case JsonObject node:
                foreach (KeyValuePair<string, JsonNode?> property in node)
                {
                    writer.WritePropertyName(property.Key);
                    if (property.Value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        property.Value.WriteTo(writer);
                    }
                }

                break;

            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                foreach (KeyValuePair<string, object?> property in dictionary)
                {
                    writer.WritePropertyName(property.Key);
                    WriteValue(writer, property.Value);
                }

                break;
        }
    }

    private static bool RawContains(object? raw, string name) => raw switch
    {
        JsonObject node => node.ContainsKey(name),
        IDictionary<string, object?> dictionary => dictionary.ContainsKey(name),
        IReadOnlyDictionary<string, object?> dictionary => dictionary.ContainsKey(name),
        _ => false,
    };

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case float number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            default:
                JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                break;
        }
    }

    /// <summary>The names already taken by the raw representation or the additional properties.</summary>
    private readonly struct FieldSet(object? raw, AdditionalPropertiesDictionary? additional)
    {
        public bool IsFree(string name) => !RawContains(raw, name) && additional?.ContainsKey(name) != true;
    }
}
