using System.Text.Json;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Anthropic;

/// <summary>
/// Reads the events of a Messages stream. The events that make up nearly all of a stream — <c>content_block_delta</c>
/// with a <c>text_delta</c> or <c>thinking_delta</c>, and <c>ping</c> — are read with a <see cref="Utf8JsonReader"/>
/// into an <see cref="AnthropicStreamItem"/> without wire objects; every other event falls back to the
/// source-generated <see cref="AnthropicStreamEvent"/>. The fast path gives exactly what the general one would, or
/// declines: a field of an unexpected type, a member it does not map, or malformed JSON (which the deserializer then
/// reports as before). Stateless and thread-safe.
/// </summary>
internal static class AnthropicStreamReader
{
    /// <summary>The item parser of every stream: one static delegate, so that no stream allocates its own.</summary>
    public static readonly System.Net.ServerSentEvents.SseItemParser<AnthropicStreamItem> Parser = static (_, data) => Parse(data);

    /// <summary>Reads one event's data.</summary>
    /// <exception cref="JsonException">The data is not JSON, or not an event.</exception>
    public static AnthropicStreamItem Parse(ReadOnlySpan<byte> data)
    {
        if (ChatWire.IsDone(data))
        {
            return default;
        }

        return TryRead(data, out AnthropicStreamItem item)
            ? item
            : new AnthropicStreamItem(JsonSerializer.Deserialize(data, AnthropicJsonContext.Default.AnthropicStreamEvent));
    }

    /// <summary>Reads a text or thinking delta, or a ping; returns <see langword="false"/> for any event the general path must read.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out AnthropicStreamItem item)
    {
        item = default;
        try
        {
            return TryReadCore(data, ref item);
        }
        catch (JsonException)
        {
            // Malformed JSON: the deserializer reads it again and reports it.
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> data, ref AnthropicStreamItem item)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        EventType type = EventType.Other;
        DeltaType deltaType = DeltaType.None;
        string? text = null;
        string? thinking = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                type = reader.ValueTextEquals("content_block_delta"u8) ? EventType.ContentBlockDelta
                    : reader.ValueTextEquals("ping"u8) ? EventType.Ping
                    : EventType.Other;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                // A repeated member replaces the earlier one, as the deserializer does.
                deltaType = DeltaType.None;
                text = thinking = null;
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (!TryReadDelta(ref reader, ref deltaType, ref text, ref thinking))
                    {
                        return false;
                    }
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out _))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("content_block"u8)
                || reader.ValueTextEquals("usage"u8) || reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else
            {
                // Not part of the contract: the deserializer ignores it too.
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false;
        }

        switch (type)
        {
            case EventType.Ping:
                item = AnthropicStreamItem.Ignored;
                return true;
            case EventType.ContentBlockDelta when deltaType == DeltaType.Text:
                item = new AnthropicStreamItem(text, isThinking: false);
                return true;
            case EventType.ContentBlockDelta when deltaType == DeltaType.Thinking:
                item = new AnthropicStreamItem(thinking, isThinking: true);
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadDelta(ref Utf8JsonReader reader, ref DeltaType deltaType, ref string? text, ref string? thinking)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    deltaType = reader.ValueTextEquals("text_delta"u8) ? DeltaType.Text
                        : reader.ValueTextEquals("thinking_delta"u8) ? DeltaType.Thinking
                        : DeltaType.Other;
                }
                else if (reader.TokenType == JsonTokenType.Null)
                {
                    deltaType = DeltaType.None;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                if (!WireJson.TryReadString(ref reader, out text))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                if (!WireJson.TryReadString(ref reader, out thinking))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("partial_json"u8) || reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private enum EventType
    {
        Other,
        ContentBlockDelta,
        Ping,
    }

    private enum DeltaType
    {
        None,
        Text,
        Thinking,
        Other,
    }
}

/// <summary>One event of a Messages stream as <see cref="AnthropicStreamReader"/> read it.</summary>
internal readonly struct AnthropicStreamItem
{
    public static AnthropicStreamItem Ignored => new(null, isThinking: false, ignored: true);

    public AnthropicStreamItem(AnthropicStreamEvent? streamEvent)
    {
        Event = streamEvent;
    }

    public AnthropicStreamItem(string? text, bool isThinking)
        : this(text, isThinking, ignored: false)
    {
    }

    private AnthropicStreamItem(string? text, bool isThinking, bool ignored)
    {
        IsDelta = !ignored;
        IsThinking = isThinking;
        Text = text;
    }

    /// <summary>Gets the whole deserialized event, for every event the fast path does not read; <see langword="null"/> for nothing to do.</summary>
    public AnthropicStreamEvent? Event { get; }

    /// <summary>Gets whether this is a <c>text_delta</c> or <c>thinking_delta</c> read by the fast path.</summary>
    public bool IsDelta { get; }

    /// <summary>Gets whether the delta is a <c>thinking_delta</c> (<see cref="Text"/> is its thinking text).</summary>
    public bool IsThinking { get; }

    /// <summary>Gets the delta's <c>text</c> or <c>thinking</c>.</summary>
    public string? Text { get; }
}
