using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.Bedrock.Wire;

namespace ModelGateway.Providers.Bedrock;

/// <summary>
/// What one ConverseStream has said so far: the tool calls being assembled from input fragments, the stop reason and
/// the usage. Turns each event into at most one update.
/// </summary>
internal sealed class BedrockStreamState
{
    private readonly string _modelId;
    private readonly string? _responseId;
    private Dictionary<int, PendingToolUse>? _toolUses;

    public BedrockStreamState(string modelId, string? responseId)
    {
        _modelId = modelId;
        _responseId = responseId;
    }

    /// <summary>Gets whether <c>messageStop</c> arrived, the logical end of the answer.</summary>
    public bool Stopped { get; private set; }

    public string? StopReason { get; private set; }

    public TokenUsage? Usage { get; private set; }

    /// <summary>Applies an <c>event</c> message; returns the update to pass on, if the event carries content.</summary>
    /// <exception cref="JsonException">The payload is not the JSON the event type promises.</exception>
    /// <exception cref="InvalidDataException">The events do not fit together.</exception>
    public ChatResponseUpdate? Apply(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload)
    {
        if (eventType.SequenceEqual("contentBlockDelta"u8))
        {
            if (TryReadTextDelta(payload, out string? text))
            {
                // A text delta (nearly every event of an answer), read without wire objects: what ApplyDelta maps.
                return text is null ? null : CreateUpdate(new TextContent(text));
            }

            ContentBlockDeltaEvent delta = Deserialize(payload, BedrockJsonContext.Default.ContentBlockDeltaEvent);
            return ApplyDelta(delta.ContentBlockIndex, delta.Delta);
        }

        if (eventType.SequenceEqual("contentBlockStart"u8))
        {
            ContentBlockStartEvent start = Deserialize(payload, BedrockJsonContext.Default.ContentBlockStartEvent);
            if (start.Start?.ToolUse is { } toolUse)
            {
                (_toolUses ??= [])[start.ContentBlockIndex] = new PendingToolUse(
                    toolUse.ToolUseId ?? throw new InvalidDataException("A contentBlockStart toolUse has no toolUseId."),
                    toolUse.Name ?? throw new InvalidDataException("A contentBlockStart toolUse has no name."));
            }

            return null;
        }

        if (eventType.SequenceEqual("contentBlockStop"u8))
        {
            ContentBlockStopEvent stop = Deserialize(payload, BedrockJsonContext.Default.ContentBlockStopEvent);
            return _toolUses is not null && _toolUses.Remove(stop.ContentBlockIndex, out PendingToolUse? toolUse)
                ? CreateUpdate(toolUse.ToFunctionCall())
                : null;
        }

        if (eventType.SequenceEqual("messageStop"u8))
        {
            StopReason = Deserialize(payload, BedrockJsonContext.Default.MessageStopEvent).StopReason;
            Stopped = true;
            return null;
        }

        if (eventType.SequenceEqual("metadata"u8))
        {
            Usage = Deserialize(payload, BedrockJsonContext.Default.MetadataEvent).Usage;
            return null;
        }

        // messageStart carries only the role; unknown events are newer than this client and are skipped.
        return null;
    }

    /// <summary>Creates the last update: finish reason and usage.</summary>
    public ChatResponseUpdate CreateFinalUpdate()
    {
        ChatResponseUpdate update = CreateUpdate(null);
        update.FinishReason = BedrockResponseMapper.FinishReason(StopReason);
        if (BedrockResponseMapper.Usage(Usage) is { } usage)
        {
            update.Contents.Add(new UsageContent(usage));
        }

        return update;
    }

    /// <summary>
    /// Reads a <c>contentBlockDelta</c> payload whose delta is text (or empty) with a <see cref="Utf8JsonReader"/>, giving
    /// exactly what the contract gives; returns <see langword="false"/> for any other shape (a tool-use or reasoning
    /// delta, a field of an unexpected type, malformed JSON), which the contract then reads and reports.
    /// </summary>
    internal static bool TryReadTextDelta(ReadOnlySpan<byte> payload, out string? text)
    {
        text = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    // A repeated member replaces the earlier one, as the deserializer does.
                    text = null;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (!TryReadDeltaBody(ref reader, ref text))
                        {
                            return false;
                        }
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("contentBlockIndex"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out _))
                    {
                        return false;
                    }
                }
                else
                {
                    // Not part of the contract (Bedrock pads events with "p"): the deserializer ignores it too.
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadDeltaBody(ref Utf8JsonReader reader, ref string? text)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    text = reader.GetString();
                }
                else if (reader.TokenType == JsonTokenType.Null)
                {
                    text = null;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("toolUse"u8) || reader.ValueTextEquals("reasoningContent"u8))
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

    private static T Deserialize<T>(ReadOnlySpan<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(payload, typeInfo) ?? throw new InvalidDataException($"An event payload is null where {typeof(T).Name} was expected.");

    private ChatResponseUpdate? ApplyDelta(int index, ContentBlockDelta? delta)
    {
        if (delta is null)
        {
            return null;
        }

        if (delta.Text is { } text)
        {
            return CreateUpdate(new TextContent(text));
        }

        if (delta.ToolUse is { } toolUse)
        {
            if (_toolUses is null || !_toolUses.TryGetValue(index, out PendingToolUse? pending))
            {
                throw new InvalidDataException($"A toolUse delta arrived for content block {index}, which did not start as a tool use.");
            }

            pending.Input.Append(toolUse.Input);
            return null;
        }

        if (delta.ReasoningContent is { } reasoning)
        {
            if (reasoning.Text is { } reasoningText)
            {
                return CreateUpdate(new TextReasoningContent(reasoningText));
            }

            if (reasoning.Signature is { } signature)
            {
                return CreateUpdate(new TextReasoningContent(string.Empty) { ProtectedData = signature });
            }
        }

        return null;
    }

    private ChatResponseUpdate CreateUpdate(AIContent? content)
    {
        // A list of exactly the one content; without one, Contents is created when first used (the final update).
        return new ChatResponseUpdate(ChatRole.Assistant, content is null ? null : new List<AIContent>(1) { content })
        {
            ResponseId = _responseId,
            MessageId = _responseId,
            ModelId = _modelId,
        };
    }

    private sealed class PendingToolUse(string id, string name)
    {
        public StringBuilder Input { get; } = new();

        public FunctionCallContent ToFunctionCall()
        {
            if (Input.Length == 0)
            {
                return new FunctionCallContent(id, name, new Dictionary<string, object?>());
            }

            try
            {
                JsonElement input = JsonSerializer.Deserialize(Input.ToString(), BedrockJsonContext.Default.JsonElement);
                return new FunctionCallContent(id, name, BedrockResponseMapper.Arguments(input));
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                // The model wrote arguments that are not a JSON object; M.E.AI carries that on the call, as its own clients do.
                return new FunctionCallContent(id, name) { Exception = ex };
            }
        }
    }
}
