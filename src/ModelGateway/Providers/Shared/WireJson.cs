using System.Text.Json;

namespace ModelGateway.Providers.Shared;

/// <summary>
/// Value reads the hand-written wire readers share: each moves the reader onto the value and accepts only the JSON type
/// the source-generated contract would accept there (or <c>null</c>), so a reader can decline anything else and leave
/// the body to the deserializer.
/// </summary>
internal static class WireJson
{
    /// <summary>Reads a string or null; any other token declines.</summary>
    public static bool TryReadString(ref Utf8JsonReader reader, out string? value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            value = reader.GetString();
            return true;
        }

        value = null;
        return reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>Reads a plain integer or null; a quoted or fractional number (the deserializer decides) declines.</summary>
    public static bool TryReadInt64(ref Utf8JsonReader reader, out long? value)
    {
        reader.Read();
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long number))
        {
            value = number;
            return true;
        }

        return false;
    }
}
