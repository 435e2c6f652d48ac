using System.Buffers.Binary;

namespace ModelGateway.Providers.Bedrock;

/// <summary>
/// Validates <c>application/vnd.amazon.eventstream</c> frames: a 12-byte prelude (total length, headers length, CRC-32 of
/// those 8 bytes), the headers, the payload and a CRC-32 of everything before it. All integers are big-endian.
/// Every failure is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class EventStreamDecoder
{
    public const int PreludeLength = 12;
    public const int MinimumMessageLength = 16;
    public const int MaxHeadersLength = 128 * 1024;
    public const int MaxPayloadLength = 16 * 1024 * 1024;
    public const int MaxMessageLength = MinimumMessageLength + MaxHeadersLength + MaxPayloadLength;

    /// <summary>Checks a prelude and returns the total length of its message.</summary>
    public static int ReadTotalLength(ReadOnlySpan<byte> prelude)
    {
        uint totalLength = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        uint headersLength = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        uint preludeCrc = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        if (Crc32.Compute(prelude[..8]) != preludeCrc)
        {
            throw new InvalidDataException("Prelude checksum mismatch.");
        }

        if (totalLength < MinimumMessageLength || totalLength > MaxMessageLength)
        {
            throw new InvalidDataException($"Event-stream message length {totalLength} is out of range.");
        }

        if (headersLength > MaxHeadersLength || headersLength > totalLength - MinimumMessageLength)
        {
            throw new InvalidDataException($"Event-stream headers length {headersLength} does not fit a message of {totalLength} bytes.");
        }

        if (totalLength - MinimumMessageLength - headersLength > MaxPayloadLength)
        {
            throw new InvalidDataException("Event-stream payload exceeds 16 MiB.");
        }

        return (int)totalLength;
    }

    /// <summary>Checks a whole frame (whose prelude <see cref="ReadTotalLength"/> accepted) and returns it as a message.</summary>
    public static EventStreamMessage Decode(ReadOnlyMemory<byte> frame)
    {
        ReadOnlySpan<byte> span = frame.Span;
        if (span.Length < MinimumMessageLength || ReadTotalLength(span) != span.Length)
        {
            throw new InvalidDataException("Event-stream frame length does not match its prelude.");
        }

        uint messageCrc = BinaryPrimitives.ReadUInt32BigEndian(span[^4..]);
        if (Crc32.Compute(span[..^4]) != messageCrc)
        {
            throw new InvalidDataException("Message checksum mismatch.");
        }

        int headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
        ValidateHeaders(span.Slice(PreludeLength, headersLength));
        return new EventStreamMessage(frame);
    }

    /// <summary>Returns the value length of a fixed-size type, or -1 for the length-prefixed byte array and string types.</summary>
    public static int FixedValueLength(EventStreamHeaderType type) => type switch
    {
        EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
        EventStreamHeaderType.Byte => 1,
        EventStreamHeaderType.Int16 => 2,
        EventStreamHeaderType.Int32 => 4,
        EventStreamHeaderType.Int64 or EventStreamHeaderType.Timestamp => 8,
        EventStreamHeaderType.Uuid => 16,
        _ => -1,
    };

    private static void ValidateHeaders(ReadOnlySpan<byte> headers)
    {
        int offset = 0;
        while (offset < headers.Length)
        {
            int nameLength = headers[offset];
            if (nameLength == 0 || offset + 1 + nameLength + 1 > headers.Length)
            {
                throw new InvalidDataException("Event-stream header name is empty or runs past the headers.");
            }

            offset += 1 + nameLength;
            byte type = headers[offset++];
            if (type > (byte)EventStreamHeaderType.Uuid)
            {
                throw new InvalidDataException($"Event-stream header type {type} is unknown.");
            }

            int valueLength = FixedValueLength((EventStreamHeaderType)type);
            if (valueLength < 0)
            {
                if (offset + 2 > headers.Length)
                {
                    throw new InvalidDataException("Event-stream header value length runs past the headers.");
                }

                valueLength = BinaryPrimitives.ReadUInt16BigEndian(headers[offset..]);
                offset += 2;
            }

            if (offset + valueLength > headers.Length)
            {
                throw new InvalidDataException("Event-stream header value runs past the headers.");
            }

            offset += valueLength;
        }
    }
}
