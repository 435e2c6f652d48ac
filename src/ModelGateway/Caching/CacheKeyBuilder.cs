using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using ModelGateway.Routing;

namespace ModelGateway.Caching;

/// <summary>
/// Computes the cache key of a request: a SHA-256 over the format version, the alias and its configured defaults, the
/// scope's value, every message and content part, and every option that changes the answer (tools and response format
/// included). Gateway metadata (<c>modelgateway.*</c> keys) and anything secret never enter it; whether the request is
/// streamed does not either, so streamed and non-streamed requests share entries.
/// </summary>
/// <remarks>
/// A request the builder cannot describe faithfully (a <see cref="ChatOptions.RawRepresentationFactory"/>, a tool or
/// content type it does not know, a value its JSON resolver cannot write) gets no key: caching it could serve one
/// request the answer to another.
/// </remarks>
internal static class CacheKeyBuilder
{
    /// <summary>The prefix of every key, so entries are recognisable (and separable) in a shared cache.</summary>
    public const string KeyPrefix = "modelgateway:cache:v1:";

    /// <summary>Changes whenever what is hashed (or how) changes, so an upgrade never reads entries keyed differently.</summary>
    private const byte FormatVersion = 1;

    // Tags frame each part so that different shapes can never produce the same byte stream.
    private const byte TagMessage = 1;
    private const byte TagText = 2;
    private const byte TagData = 3;
    private const byte TagJsonContent = 4;
    private const byte TagEndMessage = 5;
    private const byte TagProperty = 6;
    private const byte TagEndProperties = 7;
    private const byte TagFunction = 8;
    private const byte TagWebSearch = 9;
    private const byte TagEndTools = 10;
    private const byte TagOptions = 11;

    private static readonly JsonTypeInfo s_contentTypeInfo = AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent));

    /// <summary>Computes the key, or returns <see langword="null"/> when the request cannot be keyed safely.</summary>
    /// <param name="group">The group (alias) that serves the request, after routes.</param>
    /// <param name="scope">The configured scope.</param>
    /// <param name="scopeValue">The request's user, team or feature for a non-global scope.</param>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The request's options as the pipeline sees them (gateway metadata already taken out).</param>
    public static string? TryBuild(ModelGroup group, CacheScope scope, string? scopeValue, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        using var hasher = new CacheKeyHasher();
        return TryBuild(hasher, group, scope, scopeValue, messages, options);
    }

    /// <summary>Computes the key with <paramref name="hasher"/> (reused across keys, one key at a time), or returns <see langword="null"/>.</summary>
    public static string? TryBuild(CacheKeyHasher hasher, ModelGroup group, CacheScope scope, string? scopeValue, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.RawRepresentationFactory is not null)
        {
            // A delegate can put anything into the provider request; nothing about it can be hashed.
            return null;
        }

        hasher.Begin();
        try
        {
            hasher.WriteByte(FormatVersion);
            hasher.WriteString(group.Name);
            hasher.WriteNullable(group.Temperature);
            hasher.WriteNullable(group.TopP);
            hasher.WriteNullable(group.MaxOutputTokens);
            hasher.WriteString(group.SystemPrompt);
            hasher.WriteByte((byte)scope);
            hasher.WriteString(scope == CacheScope.Global ? null : scopeValue);

            if (messages is IList<ChatMessage> list)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    WriteMessage(hasher, list[i]);
                }
            }
            else
            {
                foreach (ChatMessage message in messages)
                {
                    WriteMessage(hasher, message);
                }
            }

            if (options is not null && !WriteOptions(hasher, options))
            {
                return null;
            }

            return hasher.Finish(KeyPrefix);
        }
        catch (Exception exception) when (exception is NotSupportedException or JsonException or InvalidOperationException)
        {
            // The JSON resolver does not know a type the request holds (a custom content or property value).
            return null;
        }
        finally
        {
            hasher.Release();
        }
    }

    private static void WriteMessage(CacheKeyHasher hasher, ChatMessage message)
    {
        hasher.WriteByte(TagMessage);
        hasher.WriteString(message.Role.Value);
        hasher.WriteString(message.AuthorName);
        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text:
                    hasher.WriteByte(TagText);
                    hasher.WriteString(text.Text);
                    WriteProperties(hasher, text.AdditionalProperties);
                    break;
                case DataContent data:
                    // Raw bytes rather than base64 JSON: images and documents are the largest parts of a request.
                    hasher.WriteByte(TagData);
                    hasher.WriteString(data.MediaType);
                    hasher.WriteString(data.Name);
                    hasher.WriteBytes(data.Data.Span);
                    WriteProperties(hasher, data.AdditionalProperties);
                    break;
                case UsageContent:
                    // Accounting, not input: no provider sends it upstream.
                    break;
                default:
                    hasher.WriteByte(TagJsonContent);
                    hasher.WriteJson(contents[i], s_contentTypeInfo);
                    break;
            }
        }

        WriteProperties(hasher, message.AdditionalProperties);
        hasher.WriteByte(TagEndMessage);
    }

    private static bool WriteOptions(CacheKeyHasher hasher, ChatOptions options)
    {
        hasher.WriteByte(TagOptions);
        hasher.WriteString(options.Instructions);
        hasher.WriteNullable(options.Temperature);
        hasher.WriteNullable(options.TopP);
        hasher.WriteNullable(options.TopK);
        hasher.WriteNullable(options.MaxOutputTokens);
        hasher.WriteNullable(options.FrequencyPenalty);
        hasher.WriteNullable(options.PresencePenalty);
        hasher.WriteNullable(options.Seed);
        hasher.WriteNullable(options.AllowMultipleToolCalls is { } multiple ? (multiple ? 1 : 0) : null);

        IList<string>? stops = options.StopSequences;
        hasher.WriteInt32(stops?.Count ?? -1);
        if (stops is not null)
        {
            for (int i = 0; i < stops.Count; i++)
            {
                hasher.WriteString(stops[i]);
            }
        }

        if (options.Reasoning is { } reasoning)
        {
            hasher.WriteByte(1);
            hasher.WriteString(reasoning.Effort?.ToString());
            hasher.WriteString(reasoning.Output?.ToString());
        }
        else
        {
            hasher.WriteByte(0);
        }

        if (!WriteResponseFormat(hasher, options.ResponseFormat) || !WriteToolMode(hasher, options.ToolMode) || !WriteTools(hasher, options.Tools))
        {
            return false;
        }

        WriteProperties(hasher, options.AdditionalProperties);
        return true;
    }

    private static bool WriteResponseFormat(CacheKeyHasher hasher, ChatResponseFormat? format)
    {
        switch (format)
        {
            case null:
                hasher.WriteByte(0);
                return true;
            case ChatResponseFormatText:
                hasher.WriteByte(1);
                return true;
            case ChatResponseFormatJson json:
                hasher.WriteByte(2);
                hasher.WriteString(json.SchemaName);
                hasher.WriteString(json.SchemaDescription);
                WriteOptionalJson(hasher, json.Schema);
                return true;
            default:
                return false;
        }
    }

    private static bool WriteToolMode(CacheKeyHasher hasher, ChatToolMode? mode)
    {
        switch (mode)
        {
            case null:
                hasher.WriteByte(0);
                return true;
            case RequiredChatToolMode required:
                hasher.WriteByte(3);
                hasher.WriteString(required.RequiredFunctionName);
                return true;
            case NoneChatToolMode:
                hasher.WriteByte(1);
                return true;
            case AutoChatToolMode:
                hasher.WriteByte(2);
                return true;
            default:
                return false;
        }
    }

    private static bool WriteTools(CacheKeyHasher hasher, IList<AITool>? tools)
    {
        if (tools is not null)
        {
            for (int i = 0; i < tools.Count; i++)
            {
                switch (tools[i])
                {
                    case AIFunctionDeclaration function:
                        hasher.WriteByte(TagFunction);
                        hasher.WriteString(function.Name);
                        hasher.WriteString(function.Description);
                        hasher.WriteJson(function.JsonSchema);
                        WriteOptionalJson(hasher, function.ReturnJsonSchema);
                        WriteProperties(hasher, function.AdditionalProperties);
                        break;
                    case HostedWebSearchTool search:
                        hasher.WriteByte(TagWebSearch);
                        hasher.WriteString(search.Name);
                        WriteProperties(hasher, search.AdditionalProperties);
                        break;
                    default:
                        // Other hosted tools carry settings (inputs, servers, headers) this builder does not read.
                        return false;
                }
            }
        }

        hasher.WriteByte(TagEndTools);
        return true;
    }

    private static void WriteOptionalJson(CacheKeyHasher hasher, JsonElement? element)
    {
        if (element is { } value)
        {
            hasher.WriteByte(1);
            hasher.WriteJson(value);
        }
        else
        {
            hasher.WriteByte(0);
        }
    }

    private static void WriteProperties(CacheKeyHasher hasher, AdditionalPropertiesDictionary? properties)
    {
        // The concrete dictionary has a struct enumerator: no allocation for the common case.
        if (properties is { Count: > 0 })
        {
            foreach (KeyValuePair<string, object?> pair in properties)
            {
                if (GatewayPropertyNames.IsGatewayKey(pair.Key))
                {
                    continue;
                }

                hasher.WriteByte(TagProperty);
                hasher.WriteString(pair.Key);
                if (!WriteValue(hasher, pair.Value, depth: 0))
                {
                    throw new NotSupportedException();
                }
            }
        }

        hasher.WriteByte(TagEndProperties);
    }

    private static void WriteProperties(CacheKeyHasher hasher, IReadOnlyDictionary<string, object?>? properties)
    {
        if (properties is { Count: > 0 })
        {
            foreach (KeyValuePair<string, object?> pair in properties)
            {
                if (GatewayPropertyNames.IsGatewayKey(pair.Key))
                {
                    continue;
                }

                hasher.WriteByte(TagProperty);
                hasher.WriteString(pair.Key);
                if (!WriteValue(hasher, pair.Value, depth: 0))
                {
                    throw new NotSupportedException();
                }
            }
        }

        hasher.WriteByte(TagEndProperties);
    }

    /// <summary>
    /// Writes a property value of a kind whose every bit is visible: primitives, JSON, and lists and dictionaries of them.
    /// Anything else (an arbitrary object, which a JSON serializer might write without its private state) is refused.
    /// </summary>
    private static bool WriteValue(CacheKeyHasher hasher, object? value, int depth)
    {
        if (depth > 32)
        {
            return false;
        }

        switch (value)
        {
            case null:
                hasher.WriteByte(0);
                return true;
            case string text:
                hasher.WriteByte(1);
                hasher.WriteString(text);
                return true;
            case bool flag:
                hasher.WriteByte(2);
                hasher.WriteBoolean(flag);
                return true;
            case int or long or short or byte or sbyte or ushort or uint:
                hasher.WriteByte(3);
                hasher.WriteInt64(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return true;
            case ulong or float or double or decimal:
                hasher.WriteByte(4);
                hasher.WriteString(Convert.ToString(value, CultureInfo.InvariantCulture));
                return true;
            case Enum:
                hasher.WriteByte(5);
                hasher.WriteString(value.GetType().FullName);
                hasher.WriteString(value.ToString());
                return true;
            case JsonElement element:
                hasher.WriteByte(6);
                hasher.WriteJson(element);
                return true;
            case JsonNode node:
                hasher.WriteByte(6);
                hasher.WriteJson(node);
                return true;
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                hasher.WriteByte(7);
                foreach (KeyValuePair<string, object?> pair in dictionary)
                {
                    hasher.WriteByte(TagProperty);
                    hasher.WriteString(pair.Key);
                    if (!WriteValue(hasher, pair.Value, depth + 1))
                    {
                        return false;
                    }
                }

                hasher.WriteByte(TagEndProperties);
                return true;
            case IEnumerable items:
                hasher.WriteByte(8);
                foreach (object? item in items)
                {
                    hasher.WriteByte(TagProperty);
                    if (!WriteValue(hasher, item, depth + 1))
                    {
                        return false;
                    }
                }

                hasher.WriteByte(TagEndProperties);
                return true;
            default:
                return false;
        }
    }
}
