using System.Buffers.Binary;

namespace ModelGateway.Providers.Bedrock;

/// <summary>
/// One decoded, checksum-verified event-stream message. It is a view over the reader's buffer: valid only until the
/// reader reads the next message, so take what is needed (strings, a deserialized payload) before that.
/// </summary>
internal readonly struct EventStreamMessage
{
    private readonly ReadOnlyMemory<byte> _frame;

    public EventStreamMessage(ReadOnlyMemory<byte> frame)
    {
        _frame = frame;
    }

    public int TotalLength => _frame.Length;

    public int HeadersLength => (int)BinaryPrimitives.ReadUInt32BigEndian(_frame.Span[4..]);

    public uint PreludeCrc => BinaryPrimitives.ReadUInt32BigEndian(_frame.Span[8..]);

    public uint MessageCrc => BinaryPrimitives.ReadUInt32BigEndian(_frame.Span[^4..]);

    public ReadOnlySpan<byte> Headers => _frame.Span.Slice(EventStreamDecoder.PreludeLength, HeadersLength);

    public ReadOnlyMemory<byte> Payload => _frame[(EventStreamDecoder.PreludeLength + HeadersLength)..^4];

    public EventStreamHeaderEnumerator EnumerateHeaders() => new(Headers);

    /// <summary>Finds a header by UTF-8 name; its value is returned raw (for a string header, the UTF-8 text).</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        foreach (EventStreamHeader header in EnumerateHeaders())
        {
            if (header.NameEquals(name))
            {
                value = header.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
