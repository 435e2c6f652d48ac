using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using ModelGateway.Buffers;
using ModelGateway.Routing;

namespace ModelGateway.Caching;

/// <summary>
/// Writes and reads cache entries. An entry is a small JSON envelope — format version, expiry (on the gateway's clock),
/// the alias, provider and provider model that answered — around the <see cref="ChatResponse"/> serialized with
/// Microsoft.Extensions.AI's source-generated contract (<see cref="AIJsonUtilities.DefaultOptions"/>, which knows the
/// polymorphic <see cref="AIContent"/> types). Readable in a Redis browser; no reflection, so trimming and AOT stay safe.
/// </summary>
internal static class CacheEntrySerializer
{
    private const int Version = 1;

    private static readonly JsonTypeInfo<ChatResponse> s_responseTypeInfo =
        (JsonTypeInfo<ChatResponse>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse));

    /// <summary>Serializes an entry with a writer of its own.</summary>
    /// <exception cref="NotSupportedException">The response holds a type the contract does not know (a custom content type).</exception>
    public static byte[] Write(in CacheEntry entry) => Write(new PooledJsonWriter(), entry);

    /// <summary>Serializes an entry with <paramref name="buffer"/>, which is left ready for the next entry (even when this one fails).</summary>
    /// <exception cref="NotSupportedException">The response holds a type the contract does not know (a custom content type).</exception>
    public static byte[] Write(PooledJsonWriter buffer, in CacheEntry entry)
    {
        try
        {
            Utf8JsonWriter writer = buffer.Begin();
            WriteHeader(writer, entry.ExpiresAt, entry.Model, entry.Provider, entry.ProviderModel);
            if (PlainResponseJson.CanWrite(entry.Response))
            {
                PlainResponseJson.Write(writer, entry.Response);
            }
            else
            {
                JsonSerializer.Serialize(writer, entry.Response, s_responseTypeInfo);
            }

            writer.WriteEndObject();
            return buffer.Finish();
        }
        finally
        {
            buffer.Release();
        }
    }

    /// <summary>Serializes an entry whose response is a plain answer assembled from a stream, with a writer of its own.</summary>
    public static byte[] Write(DateTimeOffset expiresAt, string model, string? provider, string? providerModel, in StreamedAnswer.Snapshot answer) =>
        Write(new PooledJsonWriter(), expiresAt, model, provider, providerModel, answer);

    /// <summary>Serializes an entry whose response is a plain answer assembled from a stream, with <paramref name="buffer"/>.</summary>
    public static byte[] Write(PooledJsonWriter buffer, DateTimeOffset expiresAt, string model, string? provider, string? providerModel, in StreamedAnswer.Snapshot answer)
    {
        try
        {
            Utf8JsonWriter writer = buffer.Begin();
            WriteHeader(writer, expiresAt, model, provider, providerModel);
            PlainResponseJson.Write(writer, answer);
            writer.WriteEndObject();
            return buffer.Finish();
        }
        finally
        {
            buffer.Release();
        }
    }

    /// <summary>Returns the group's name or one of its fallback aliases when the current string token equals it.</summary>
    private static string? KnownAlias(ref Utf8JsonReader reader, ModelGroup? group)
    {
        if (group is null || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        if (reader.ValueTextEquals(group.Name))
        {
            return group.Name;
        }

        string[] fallbacks = group.Fallbacks;
        for (int i = 0; i < fallbacks.Length; i++)
        {
            if (reader.ValueTextEquals(fallbacks[i]))
            {
                return fallbacks[i];
            }
        }

        return null;
    }

    /// <summary>Returns a deployment's provider name (or provider model) when the current string token equals it.</summary>
    private static string? KnownDeploymentName(ref Utf8JsonReader reader, ModelGroup? group, bool provider)
    {
        if (group is null || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        Deployment[] deployments = group.Deployments;
        for (int i = 0; i < deployments.Length; i++)
        {
            string name = provider ? deployments[i].Provider : deployments[i].ProviderModel;
            if (reader.ValueTextEquals(name))
            {
                return name;
            }
        }

        return null;
    }

    private static void WriteHeader(Utf8JsonWriter writer, DateTimeOffset expiresAt, string model, string? provider, string? providerModel)
    {
        writer.WriteStartObject();
        writer.WriteNumber("v"u8, Version);
        writer.WriteNumber("expires"u8, expiresAt.ToUnixTimeMilliseconds());
        writer.WriteString("model"u8, model);
        writer.WriteString("provider"u8, provider);
        writer.WriteString("providerModel"u8, providerModel);
        writer.WritePropertyName("response"u8);
    }

    /// <summary>Reads an entry's header and, unless it expired by <paramref name="now"/>, its response.</summary>
    /// <returns>
    /// <see cref="CacheReadResult.Hit"/> with the entry; <see cref="CacheReadResult.Expired"/>; or
    /// <see cref="CacheReadResult.Corrupt"/> when the bytes are not an entry this version wrote.
    /// </returns>
    public static CacheReadResult TryRead(ReadOnlySpan<byte> data, DateTimeOffset now, out CacheEntry entry) =>
        TryRead(data, now, names: null, out entry);

    /// <summary>
    /// Reads an entry as <see cref="TryRead(ReadOnlySpan{byte}, DateTimeOffset, out CacheEntry)"/> does, taking the alias,
    /// provider and provider model from <paramref name="names"/> (the group the request was keyed for: its name, fallback
    /// aliases and deployments) when the stored ones are equal, instead of allocating copies of the same text.
    /// </summary>
    public static CacheReadResult TryRead(ReadOnlySpan<byte> data, DateTimeOffset now, ModelGroup? names, out CacheEntry entry)
    {
        entry = default;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return CacheReadResult.Corrupt;
            }

            int version = 0;
            long? expires = null;
            string? model = null, provider = null, providerModel = null;
            ChatResponse? response = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("v"u8))
                {
                    reader.Read();
                    version = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("expires"u8))
                {
                    reader.Read();
                    expires = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    model = KnownAlias(ref reader, names) ?? reader.GetString();
                }
                else if (reader.ValueTextEquals("provider"u8))
                {
                    reader.Read();
                    provider = KnownDeploymentName(ref reader, names, provider: true) ?? reader.GetString();
                }
                else if (reader.ValueTextEquals("providerModel"u8))
                {
                    reader.Read();
                    providerModel = KnownDeploymentName(ref reader, names, provider: false) ?? reader.GetString();
                }
                else if (reader.ValueTextEquals("response"u8))
                {
                    if (version != Version || expires is null)
                    {
                        return CacheReadResult.Corrupt;
                    }

                    if (now.ToUnixTimeMilliseconds() >= expires.Value)
                    {
                        // Checked before the response is parsed: an expired entry costs no deserialization.
                        return CacheReadResult.Expired;
                    }

                    reader.Read();

                    // The common plain answer is read by hand; anything else (or a shape the hand reader does not
                    // know) is read again from the same position with the contract.
                    Utf8JsonReader start = reader;
                    response = PlainResponseJson.TryRead(ref reader);
                    if (response is null)
                    {
                        reader = start;
                        response = JsonSerializer.Deserialize(ref reader, s_responseTypeInfo);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (response?.Messages is null || model is null || expires is null)
            {
                return CacheReadResult.Corrupt;
            }

            entry = new CacheEntry(DateTimeOffset.FromUnixTimeMilliseconds(expires.Value), model, provider, providerModel, response);
            return CacheReadResult.Hit;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            return CacheReadResult.Corrupt;
        }
    }
}
