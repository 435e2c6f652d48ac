using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ModelGateway.Providers.OpenAI.Wire;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.OpenAI;

/// <summary>
/// Reads the common non-streamed Chat Completions answer — one choice (index 0) whose message holds text (<c>content</c>,
/// <c>reasoning_content</c>, <c>role</c>, a null or empty <c>refusal</c>, null or empty <c>tool_calls</c>), a finish
/// reason and usage — with a <see cref="Utf8JsonReader"/> into the same <see cref="WireChatCompletion"/> the
/// source-generated contract would build, without its metadata-driven converters and read-stack allocations.
/// </summary>
/// <remarks>
/// The reader gives exactly what the deserializer would, or declines: a member of an unexpected type (a quoted number,
/// a content array), a second choice or one with another index, a refusal text, tool calls, a <c>delta</c>, an
/// <c>error</c>, a null body, malformed JSON — anything it does not map itself — makes it return
/// <see langword="false"/>, and the caller deserializes the same bytes as before (which also reports malformed JSON
/// with the same error). Members the contract does not know (<c>object</c>, <c>service_tier</c>, <c>logprobs</c>,
/// <c>annotations</c> …) are skipped, as the deserializer skips them; a repeated member replaces the earlier one, as in
/// the deserializer. Stateless and thread-safe.
/// </remarks>
internal static class OpenAICompletionReader
{
    /// <summary>Reads a common answer; returns <see langword="false"/> for any body the general path must read.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, [NotNullWhen(true)] out WireChatCompletion? completion)
    {
        completion = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var result = new WireChatCompletion();
            if (!TryReadCompletion(ref reader, result) || reader.Read())
            {
                // Declined, or something after the answer (the deserializer rejects it; Read throws for it here).
                return false;
            }

            completion = result;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a string that is not valid UTF-8 (GetString's InvalidOperationException): the
            // deserializer reads it again and reports it as a JsonException.
            return false;
        }
    }

    private static bool TryReadCompletion(ref Utf8JsonReader reader, WireChatCompletion completion)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray
                    || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    // Null, empty or not an array: the general path reports the missing choice.
                    return false;
                }

                var choice = new WireChoice();
                if (!TryReadChoice(ref reader, choice) || choice.Index != 0
                    || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                {
                    // Another index than 0, or more than one choice.
                    return false;
                }

                completion.Choices = [choice];
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                if (!WireJson.TryReadString(ref reader, out string? id))
                {
                    return false;
                }

                completion.Id = id;
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                if (!WireJson.TryReadString(ref reader, out string? model))
                {
                    return false;
                }

                completion.Model = model;
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                if (!WireJson.TryReadInt64(ref reader, out long? created))
                {
                    return false;
                }

                completion.Created = created;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    completion.Usage = null;
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var usage = new WireUsage();
                    if (!TryReadUsage(ref reader, usage))
                    {
                        return false;
                    }

                    completion.Usage = usage;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("system_fingerprint"u8))
            {
                if (!WireJson.TryReadString(ref reader, out string? fingerprint))
                {
                    return false;
                }

                completion.SystemFingerprint = fingerprint;
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

        return reader.TokenType == JsonTokenType.EndObject && completion.Choices is not null;
    }

    private static bool TryReadChoice(ref Utf8JsonReader reader, WireChoice choice)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    choice.Message = null;
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var message = new WireMessage();
                    if (!TryReadMessage(ref reader, message))
                    {
                        return false;
                    }

                    choice.Message = message;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int index))
                {
                    return false;
                }

                choice.Index = index;
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    choice.FinishReason = null;
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    choice.FinishReason = FinishReason(ref reader);
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("delta"u8))
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

    private static bool TryReadMessage(ref Utf8JsonReader reader, WireMessage message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                if (!WireJson.TryReadString(ref reader, out string? content))
                {
                    return false;
                }

                message.Content = content;
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    message.Role = null;
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    // The one role an answer has: the same text without a new string.
                    message.Role = !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("assistant"u8) ? "assistant" : reader.GetString();
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                // An empty refusal maps to nothing; a refusal text is left to the general path.
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    message.Refusal = null;
                }
                else if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length == 0)
                {
                    message.Refusal = string.Empty;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                if (!WireJson.TryReadString(ref reader, out string? reasoning))
                {
                    return false;
                }

                message.ReasoningContent = reasoning;
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    message.ToolCalls = null;
                }
                else if (reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.EndArray)
                {
                    message.ToolCalls = [];
                }
                else
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

    private static bool TryReadUsage(ref Utf8JsonReader reader, WireUsage usage)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                if (!WireJson.TryReadInt64(ref reader, out long? value))
                {
                    return false;
                }

                usage.PromptTokens = value;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                if (!WireJson.TryReadInt64(ref reader, out long? value))
                {
                    return false;
                }

                usage.CompletionTokens = value;
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                if (!WireJson.TryReadInt64(ref reader, out long? value))
                {
                    return false;
                }

                usage.TotalTokens = value;
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    usage.PromptTokensDetails = null;
                }
                else if (reader.TokenType == JsonTokenType.StartObject && TryReadDetail(ref reader, "cached_tokens"u8, out long? cached))
                {
                    usage.PromptTokensDetails = new WirePromptTokensDetails { CachedTokens = cached };
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    usage.CompletionTokensDetails = null;
                }
                else if (reader.TokenType == JsonTokenType.StartObject && TryReadDetail(ref reader, "reasoning_tokens"u8, out long? reasoning))
                {
                    usage.CompletionTokensDetails = new WireCompletionTokensDetails { ReasoningTokens = reasoning };
                }
                else
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

    /// <summary>Reads a token details object of which the contract keeps one count; the others are skipped, as there.</summary>
    private static bool TryReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, out long? count)
    {
        count = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                if (!WireJson.TryReadInt64(ref reader, out count))
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

    private static string? FinishReason(ref Utf8JsonReader reader)
    {
        // The reasons every answer carries: the same text without a new string.
        if (!reader.ValueIsEscaped)
        {
            ReadOnlySpan<byte> value = reader.ValueSpan;
            if (value.SequenceEqual("stop"u8))
            {
                return "stop";
            }

            if (value.SequenceEqual("length"u8))
            {
                return "length";
            }

            if (value.SequenceEqual("tool_calls"u8))
            {
                return "tool_calls";
            }

            if (value.SequenceEqual("content_filter"u8))
            {
                return "content_filter";
            }
        }

        return reader.GetString();
    }
}
