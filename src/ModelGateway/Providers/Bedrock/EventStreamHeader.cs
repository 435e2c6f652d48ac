using System.Buffers.Binary;
using System.Text;

namespace ModelGateway.Providers.Bedrock;

/// <summary>One header of an event-stream message, as views into the message's bytes (valid as long as the message is).</summary>
internal readonly ref struct EventStreamHeader
{
    public EventStreamHeader(ReadOnlySpan<byte> name, EventStreamHeaderType type, ReadOnlySpan<byte> value)
    {
        Name = name;
        Type = type;
        Value = value;
    }

    /// <summary>Gets the UTF-8 name.</summary>
    public ReadOnlySpan<byte> Name { get; }

    public EventStreamHeaderType Type { get; }

    /// <summary>Gets the raw value: empty for booleans, big-endian for numbers, without the length prefix for bytes and strings.</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool GetBoolean() => Type switch
    {
        EventStreamHeaderType.BoolTrue => true,
        EventStreamHeaderType.BoolFalse => false,
        _ => throw new InvalidOperationException($"The header is {Type}, not a boolean."),
    };

    /// <summary>Reads a byte, int16, int32, int64 or timestamp (milliseconds since the Unix epoch) as a signed integer.</summary>
    public long GetInt64() => Type switch
    {
        EventStreamHeaderType.Byte => (sbyte)Value[0],
        EventStreamHeaderType.Int16 => BinaryPrimitives.ReadInt16BigEndian(Value),
        EventStreamHeaderType.Int32 => BinaryPrimitives.ReadInt32BigEndian(Value),
        EventStreamHeaderType.Int64 or EventStreamHeaderType.Timestamp => BinaryPrimitives.ReadInt64BigEndian(Value),
        _ => throw new InvalidOperationException($"The header is {Type}, not an integer."),
    };

    public string GetString() => Encoding.UTF8.GetString(Value);

    public bool NameEquals(ReadOnlySpan<byte> utf8Name) => Name.SequenceEqual(utf8Name);
}
