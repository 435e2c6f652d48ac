namespace ModelGateway.Providers.Bedrock;

/// <summary>The value types of an <c>application/vnd.amazon.eventstream</c> header, as numbered on the wire.</summary>
internal enum EventStreamHeaderType : byte
{
    BoolTrue = 0,
    BoolFalse = 1,
    Byte = 2,
    Int16 = 3,
    Int32 = 4,
    Int64 = 5,
    ByteArray = 6,
    String = 7,
    Timestamp = 8,
    Uuid = 9,
}
