using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ModelGateway.Caching;

/// <summary>
/// The common answer — one message of plain text, with ids, model, times, finish reason and usage — written and read
/// by hand in exactly the JSON that Microsoft.Extensions.AI's contract (<see cref="AIJsonUtilities.DefaultOptions"/>)
/// writes for it, byte for byte: entries stay readable by the contract path (and by earlier versions), while the hot
/// paths skip the serializer's metadata and buffering. Anything else — other content types, annotations, additional
/// properties on a message or a content, several messages, a continuation token, a property this code does not know —
/// makes <see cref="CanWrite"/> false or <see cref="TryRead"/> return <see langword="null"/>, and the contract handles it.
/// </summary>
/// <remarks>
/// The property names and order mirror the contract of Microsoft.Extensions.AI.Abstractions 10.x; a test compares both
/// writers' bytes and both readers' results, and the contract's property lists, so an upgrade that changes them fails.
/// </remarks>
internal static class PlainResponseJson
{
    /// <summary>Gets whether <paramref name="response"/> has the shape this writer handles.</summary>
    public static bool CanWrite(ChatResponse response)
    {
        if (response.AdditionalProperties is not null || response.ContinuationToken is not null || response.Messages.Count != 1)
        {
            return false;
        }

        if (response.Usage is { } usage && HasEvaluationCounts(usage))
        {
            return false;
        }

        ChatMessage message = response.Messages[0];
        if (message.AdditionalProperties is not null || message.Role.Value is null)
        {
            return false;
        }

        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is not TextContent text || text.GetType() != typeof(TextContent) || text.Annotations is not null || text.AdditionalProperties is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gets whether the usage holds one of the library's evaluation-only counts (left to the contract).</summary>
    public static bool HasEvaluationCounts(UsageDetails usage)
    {
#pragma warning disable MEAI001 // Only read, to leave usage that carries them to the contract, which writes them.
        return usage.InputAudioTokenCount is not null || usage.InputTextTokenCount is not null
            || usage.OutputAudioTokenCount is not null || usage.OutputTextTokenCount is not null;
#pragma warning restore MEAI001
    }

    /// <summary>Writes a response for which <see cref="CanWrite"/> returned true.</summary>
    public static void Write(Utf8JsonWriter writer, ChatResponse response)
    {
        ChatMessage message = response.Messages[0];
        WriteStart(writer, message.AuthorName, message.CreatedAt, message.Role);
        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            WriteText(writer, ((TextContent)contents[i]).Text);
        }

        WriteEnd(writer, message.MessageId, response.ResponseId, response.ConversationId, response.ModelId, response.CreatedAt, response.FinishReason, response.Usage);
    }

    /// <summary>Writes an answer assembled from a stream, whose text is in a buffer rather than in a string.</summary>
    public static void Write(Utf8JsonWriter writer, in StreamedAnswer.Snapshot answer)
    {
        WriteStart(writer, answer.AuthorName, answer.CreatedAt, answer.Role);
        if (answer.HasText)
        {
            WriteText(writer, answer.Text);
        }

        WriteEnd(writer, answer.MessageId, answer.ResponseId, answer.ConversationId, answer.ModelId, answer.CreatedAt, answer.FinishReason, answer.Usage);
    }

    /// <summary>
    /// Reads a response written in the plain shape; the reader is positioned on the response's start token. Returns
    /// <see langword="null"/> (having read an unknown amount) when the JSON holds anything else: the caller must then
    /// read the same value again, from its own copy of the reader, with the contract.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not valid JSON.</exception>
    public static ChatResponse? TryRead(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        ChatMessage? message = null;
        var response = new ChatResponse();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messages"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read()
                    || (message = TryReadMessage(ref reader)) is null
                    || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                // Most providers give the message the response's id: one string serves both.
                reader.Read();
                response.ResponseId = reader.TokenType == JsonTokenType.Null ? null
                    : message?.MessageId is { } messageId && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(messageId) ? messageId
                    : reader.GetString() ?? throw new JsonException();
            }
            else if (reader.ValueTextEquals("conversationId"u8))
            {
                response.ConversationId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("modelId"u8))
            {
                response.ModelId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("createdAt"u8))
            {
                response.CreatedAt = ReadDate(ref reader);
            }
            else if (reader.ValueTextEquals("finishReason"u8))
            {
                reader.Read();
                response.FinishReason = reader.TokenType == JsonTokenType.Null ? null : ReadFinishReason(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    if (TryReadUsage(ref reader) is not { } usage)
                    {
                        return null;
                    }

                    response.Usage = usage;
                }
            }
            else
            {
                return null;
            }
        }

        if (message is null || reader.TokenType != JsonTokenType.EndObject)
        {
            return null;
        }

        response.Messages.Add(message);
        return response;
    }

    private static void WriteStart(Utf8JsonWriter writer, string? authorName, DateTimeOffset? createdAt, ChatRole role)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("messages"u8);
        writer.WriteStartObject();
        if (authorName is not null)
        {
            writer.WriteString("authorName"u8, authorName);
        }

        if (createdAt is { } created)
        {
            writer.WriteString("createdAt"u8, created);
        }

        writer.WriteString("role"u8, role.Value);
        writer.WriteStartArray("contents"u8);
    }

    private static void WriteText(Utf8JsonWriter writer, ReadOnlySpan<char> text)
    {
        writer.WriteStartObject();
        writer.WriteString("$type"u8, "text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    private static void WriteEnd(
        Utf8JsonWriter writer, string? messageId, string? responseId, string? conversationId, string? modelId, DateTimeOffset? createdAt, ChatFinishReason? finishReason, UsageDetails? usage)
    {
        writer.WriteEndArray();
        if (messageId is not null)
        {
            writer.WriteString("messageId"u8, messageId);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (responseId is not null)
        {
            writer.WriteString("responseId"u8, responseId);
        }

        if (conversationId is not null)
        {
            writer.WriteString("conversationId"u8, conversationId);
        }

        if (modelId is not null)
        {
            writer.WriteString("modelId"u8, modelId);
        }

        if (createdAt is { } created)
        {
            writer.WriteString("createdAt"u8, created);
        }

        if (finishReason is { } finish)
        {
            writer.WriteString("finishReason"u8, finish.Value);
        }

        if (usage is not null)
        {
            writer.WriteStartObject("usage"u8);
            WriteCount(writer, "inputTokenCount"u8, usage.InputTokenCount);
            WriteCount(writer, "outputTokenCount"u8, usage.OutputTokenCount);
            WriteCount(writer, "totalTokenCount"u8, usage.TotalTokenCount);
            WriteCount(writer, "cachedInputTokenCount"u8, usage.CachedInputTokenCount);
            WriteCount(writer, "reasoningTokenCount"u8, usage.ReasoningTokenCount);
            if (usage.AdditionalCounts is { } counts)
            {
                writer.WriteStartObject("additionalCounts"u8);
                foreach (KeyValuePair<string, long> count in counts)
                {
                    writer.WriteNumber(count.Key, count.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteCount(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } count)
        {
            writer.WriteNumber(name, count);
        }
    }

    private static ChatMessage? TryReadMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var message = new ChatMessage();
        bool hasRole = false, hasContents = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }

                message.Role = ReadRole(ref reader);
                hasRole = true;
            }
            else if (reader.ValueTextEquals("contents"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !TryReadTexts(ref reader, message.Contents))
                {
                    return null;
                }

                hasContents = true;
            }
            else if (reader.ValueTextEquals("authorName"u8))
            {
                message.AuthorName = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("createdAt"u8))
            {
                message.CreatedAt = ReadDate(ref reader);
            }
            else if (reader.ValueTextEquals("messageId"u8))
            {
                message.MessageId = ReadString(ref reader);
            }
            else
            {
                return null;
            }
        }

        // Without "role" the contract gives the message its default role; rare enough to leave to it.
        return hasRole && hasContents && reader.TokenType == JsonTokenType.EndObject ? message : null;
    }

    /// <summary>Reads an array of text contents, each exactly <c>{"$type":"text","text":"…"}</c>.</summary>
    private static bool TryReadTexts(ref Utf8JsonReader reader, IList<AIContent> contents)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("$type"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("text"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("text"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            string text = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
            {
                return false;
            }

            contents.Add(new TextContent(text));
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static UsageDetails? TryReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var usage = new UsageDetails();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("additionalCounts"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                var counts = new AdditionalPropertiesDictionary<long>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    reader.Read();
                    counts[name] = reader.GetInt64();
                }

                usage.AdditionalCounts = counts;
                continue;
            }

            // Every count is a nullable long; the name says which.
            ReadOnlySpan<byte> property = reader.HasValueSequence || reader.ValueIsEscaped ? default : reader.ValueSpan;
            reader.Read();
            long? value = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();
            if (property.SequenceEqual("inputTokenCount"u8))
            {
                usage.InputTokenCount = value;
            }
            else if (property.SequenceEqual("outputTokenCount"u8))
            {
                usage.OutputTokenCount = value;
            }
            else if (property.SequenceEqual("totalTokenCount"u8))
            {
                usage.TotalTokenCount = value;
            }
            else if (property.SequenceEqual("cachedInputTokenCount"u8))
            {
                usage.CachedInputTokenCount = value;
            }
            else if (property.SequenceEqual("reasoningTokenCount"u8))
            {
                usage.ReasoningTokenCount = value;
            }
            else
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject ? usage : null;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetString() ?? throw new JsonException();
    }

    private static DateTimeOffset? ReadDate(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();
    }

    // The well-known values reuse the library's own instances instead of allocating a string per hit.
    private static ChatRole ReadRole(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("assistant"u8) ? ChatRole.Assistant
        : reader.ValueTextEquals("user"u8) ? ChatRole.User
        : reader.ValueTextEquals("system"u8) ? ChatRole.System
        : reader.ValueTextEquals("tool"u8) ? ChatRole.Tool
        : new ChatRole(reader.GetString()!);

    private static ChatFinishReason ReadFinishReason(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("stop"u8) ? ChatFinishReason.Stop
        : reader.ValueTextEquals("length"u8) ? ChatFinishReason.Length
        : reader.ValueTextEquals("tool_calls"u8) ? ChatFinishReason.ToolCalls
        : reader.ValueTextEquals("content_filter"u8) ? ChatFinishReason.ContentFilter
        : new ChatFinishReason(reader.GetString()!);
}
