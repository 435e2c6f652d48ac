using System.Buffers.Binary;

namespace ModelGateway.Providers.Bedrock;

/// <summary>
/// Walks the headers block of a message that <see cref="EventStreamDecoder"/> already validated, without allocating.
/// </summary>
internal ref struct EventStreamHeaderEnumerator
{
    private readonly ReadOnlySpan<byte> _headers;
    private int _offset;

    public EventStreamHeaderEnumerator(ReadOnlySpan<byte> headers)
    {
        _headers = headers;
        _offset = 0;
        Current = default;
    }

    public EventStreamHeader Current { get; private set; }

    public readonly EventStreamHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_offset >= _headers.Length)
        {
            return false;
        }

        // Validation has already proven every length below fits.
        ReadOnlySpan<byte> rest = _headers[_offset..];
        int nameLength = rest[0];
        ReadOnlySpan<byte> name = rest.Slice(1, nameLength);
        var type = (EventStreamHeaderType)rest[1 + nameLength];
        int valueStart = 2 + nameLength;
        int valueLength = EventStreamDecoder.FixedValueLength(type);
        if (valueLength < 0)
        {
            valueLength = BinaryPrimitives.ReadUInt16BigEndian(rest[valueStart..]);
            valueStart += 2;
        }

        Current = new EventStreamHeader(name, type, rest.Slice(valueStart, valueLength));
        _offset += valueStart + valueLength;
        return true;
    }
}
