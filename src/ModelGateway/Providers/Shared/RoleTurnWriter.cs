using System.Text.Json;

namespace ModelGateway.Providers.Shared;

/// <summary>
/// Writes a conversation for APIs whose turns must alternate roles (Anthropic's <c>messages</c>, Gemini's
/// <c>contents</c>): content of the same role as the open turn joins it; another role closes it and opens a new
/// <c>{ "role": …, "&lt;parts&gt;": [ … ] }</c> object. Not thread-safe: one request's writer at a time.
/// </summary>
internal struct RoleTurnWriter(Utf8JsonWriter writer, string partsName)
{
    private string? _openRole;

    /// <summary>Makes <paramref name="role"/> the open turn, so the next part written belongs to it.</summary>
    public void Enter(string role)
    {
        if (_openRole == role)
        {
            return;
        }

        Close();
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartArray(partsName);
        _openRole = role;
    }

    /// <summary>Closes the open turn, if any.</summary>
    public void Close()
    {
        if (_openRole is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
            _openRole = null;
        }
    }
}
