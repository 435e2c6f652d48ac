using System.Buffers.Binary;
using System.Text;
using ModelGateway.Providers.Bedrock;

namespace ModelGateway.Tests.Providers.Bedrock;

/// <summary>Builds event-stream frames the way Bedrock sends them, for the loopback server.</summary>
internal static class EventStreamFrames
{
    /// <summary>Builds a frame from a raw headers block and payload, with correct lengths and checksums.</summary>
    public static byte[] Build(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> payload)
    {
        int total = 16 + headers.Length + payload.Length;
        byte[] frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.Compute(frame.AsSpan(0, 8)));
        headers.CopyTo(frame.AsSpan(12));
        payload.CopyTo(frame.AsSpan(12 + headers.Length));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32.Compute(frame.AsSpan(0, total - 4)));
        return frame;
    }

    /// <summary>An event frame: <c>:event-type</c>, <c>:content-type</c>, <c>:message-type=event</c>, JSON payload.</summary>
    public static byte[] Event(string eventType, string json) =>
        Build(StringHeaders((":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")), Encoding.UTF8.GetBytes(json));

    /// <summary>A modeled exception frame: <c>:exception-type</c> and a JSON payload.</summary>
    public static byte[] Exception(string exceptionType, string json) =>
        Build(StringHeaders((":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception")), Encoding.UTF8.GetBytes(json));

    /// <summary>A generic error frame: <c>:error-code</c> and <c>:error-message</c>, no payload.</summary>
    public static byte[] Error(string code, string message) =>
        Build(StringHeaders((":error-code", code), (":error-message", message), (":message-type", "error")), []);

    public static byte[] StringHeaders(params (string Name, string Value)[] headers)
    {
        var buffer = new MemoryStream();
        foreach ((string name, string value) in headers)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            byte[] valueBytes = Encoding.UTF8.GetBytes(value);
            buffer.WriteByte((byte)nameBytes.Length);
            buffer.Write(nameBytes);
            buffer.WriteByte(7);
            buffer.WriteByte((byte)(valueBytes.Length >> 8));
            buffer.WriteByte((byte)valueBytes.Length);
            buffer.Write(valueBytes);
        }

        return buffer.ToArray();
    }
}
