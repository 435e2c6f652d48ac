using System.Text.Json;
using ModelGateway.Providers.OpenAI.Wire;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.OpenAI;

/// <summary>
/// Reads the events of one Chat Completions stream. The common chunk — one choice (index 0) whose delta holds only text
/// (<c>content</c>, <c>reasoning_content</c>, <c>role</c>, a null <c>refusal</c> or <c>tool_calls</c>) and an optional
/// finish reason, without usage — is read with a <see cref="Utf8JsonReader"/> straight into an
/// <see cref="OpenAIStreamChunk"/>; every other chunk falls back to the source-generated <see cref="WireChatCompletion"/>.
/// The fast path gives exactly what the general one would, or declines: a field of an unexpected type, a second choice,
/// an <c>error</c>, usage, anything it does not know how to map makes it hand the whole event to the deserializer
/// (which also reports malformed JSON with the same error as before).
/// </summary>
/// <remarks>
/// The <c>id</c> and <c>model</c> strings repeat in every chunk; the reader keeps the last of each and reuses it while
/// the bytes match, so a stream allocates them once. Not thread-safe: one instance per stream.
/// </remarks>
internal sealed class OpenAIStreamReader
{
    private string? _id;
    private byte[]? _idUtf8;
    private string? _model;
    private byte[]? _modelUtf8;

    /// <summary>The <see cref="System.Net.ServerSentEvents.SseItemParser{T}"/> of a stream: reads one event's data.</summary>
    /// <exception cref="InvalidDataException">The data is not a JSON chat completion chunk; the message is an excerpt of it.</exception>
    public OpenAIStreamChunk Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return default;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            return OpenAIStreamChunk.Done;
        }

        if (TryReadDelta(data, out OpenAIStreamChunk chunk))
        {
            return chunk;
        }

        try
        {
            return new OpenAIStreamChunk(JsonSerializer.Deserialize(data, OpenAIJsonContext.Default.WireChatCompletion));
        }
        catch (JsonException ex)
        {
            // Carries the excerpt out of the parser; the stream loop turns it into InvalidResponse.
            throw new InvalidDataException(ProviderHttp.Excerpt(data), ex);
        }
    }

    /// <summary>Reads a text-only delta chunk; returns <see langword="false"/> for any chunk the general path must read.</summary>
    public bool TryReadDelta(ReadOnlySpan<byte> data, out OpenAIStreamChunk chunk)
    {
        chunk = default;
        try
        {
            return TryRead(data, ref chunk);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a string that is not valid UTF-8 (GetString's InvalidOperationException): the
            // deserializer reads it again and reports it as a JsonException.
            return false;
        }
    }

    private bool TryRead(ReadOnlySpan<byte> data, ref OpenAIStreamChunk chunk)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? id = null;
        string? model = null;
        long? created = null;
        string? content = null;
        string? reasoning = null;
        string? finishReason = null;
        bool hasChoice = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                // A repeated property replaces the earlier one, as the deserializer does.
                content = reasoning = finishReason = null;
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
                    || !reader.Read() || reader.TokenType != JsonTokenType.StartObject
                    || !TryReadChoice(ref reader, ref content, ref reasoning, ref finishReason)
                    || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                {
                    // No choice, another than index 0, more than one, or not an array.
                    return false;
                }

                hasChoice = true;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                if (!TryReadCached(ref reader, ref id, ref _id, ref _idUtf8))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                if (!TryReadCached(ref reader, ref model, ref _model, ref _modelUtf8))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    created = null;
                }
                else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value))
                {
                    created = value;
                }
                else
                {
                    // A quoted number (allowed by the contract) or a wrong type: the deserializer decides.
                    return false;
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("system_fingerprint"u8))
            {
                if (!SkipString(ref reader))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                return false;
            }
            else
            {
                // Not part of the contract: the deserializer ignores it too.
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || !hasChoice)
        {
            return false;
        }

        chunk = new OpenAIStreamChunk(id, model, created, content, reasoning, finishReason);
        return true;
    }

    private static bool TryReadChoice(ref Utf8JsonReader reader, ref string? content, ref string? reasoning, ref string? finishReason)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                content = reasoning = null;
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (!TryReadDelta(ref reader, ref content, ref reasoning))
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
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int index) || index != 0)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    finishReason = reader.GetString();
                }
                else if (reader.TokenType == JsonTokenType.Null)
                {
                    finishReason = null;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                return false;
            }
            else
            {
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool TryReadDelta(ref Utf8JsonReader reader, ref string? content, ref string? reasoning)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                if (!WireJson.TryReadString(ref reader, out content))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                if (!WireJson.TryReadString(ref reader, out reasoning))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                if (!SkipString(ref reader))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                // A refusal is accumulated across chunks: the general path does that; an empty one means nothing.
                reader.Read();
                if (reader.TokenType == JsonTokenType.String ? reader.ValueSpan.Length != 0 : reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
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

    private static bool SkipString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    private static bool TryReadCached(ref Utf8JsonReader reader, ref string? value, ref string? last, ref byte[]? lastUtf8)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = null;
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            value = reader.GetString();
            return true;
        }

        ReadOnlySpan<byte> utf8 = reader.ValueSpan;
        if (last is null || !utf8.SequenceEqual(lastUtf8))
        {
            last = reader.GetString();
            lastUtf8 = utf8.ToArray();
        }

        value = last;
        return true;
    }
}
