using System.Text.Json;
using ModelGateway.Providers.Bedrock;

namespace ModelGateway.Tests.Providers.Bedrock;

public sealed class EventStreamDecoderTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "Providers", "Bedrock", "TestData", "eventstream");

    public static IEnumerable<object[]> PositiveVectors() => Names("positive");

    public static IEnumerable<object[]> NegativeVectors() => Names("negative");

    [Theory]
    [MemberData(nameof(PositiveVectors))]
    public async Task ReadAsync_PositiveVector_DecodesAsDescribed(string name)
    {
        byte[] encoded = File.ReadAllBytes(Path.Combine(s_root, "encoded", "positive", name));
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_root, "decoded", "positive", name)));
        using var reader = new EventStreamReader(new MemoryStream(encoded));

        EventStreamMessage? message = await reader.ReadAsync(CancellationToken.None);

        Assert.NotNull(message);
        AssertMatches(expected.RootElement, message.Value);
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(NegativeVectors))]
    public async Task ReadAsync_NegativeVector_IsRejectedWithTheExpectedReason(string name)
    {
        byte[] encoded = File.ReadAllBytes(Path.Combine(s_root, "encoded", "negative", name));
        string reason = File.ReadAllText(Path.Combine(s_root, "decoded", "negative", name)).Trim();
        using var reader = new EventStreamReader(new MemoryStream(encoded));

        InvalidDataException error = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamDeliveringOneByteAtATime_DecodesEveryMessageInOrder()
    {
        string[] names = ["all_headers", "empty_message", "int32_header", "payload_no_headers", "payload_one_str_header"];
        var all = new MemoryStream();
        foreach (string name in names)
        {
            all.Write(File.ReadAllBytes(Path.Combine(s_root, "encoded", "positive", name)));
        }

        // A 12-byte starting buffer forces both compaction and growth.
        using var reader = new EventStreamReader(new TrickleStream(all.ToArray()), initialBufferSize: 12);
        var lengths = new List<int>();

        while (await reader.ReadAsync(CancellationToken.None) is { } message)
        {
            lengths.Add(message.TotalLength);
        }

        Assert.Equal([204, 16, 45, 29, 61], lengths);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(40)]
    public async Task ReadAsync_StreamEndingInsideAMessage_Throws(int keep)
    {
        byte[] encoded = File.ReadAllBytes(Path.Combine(s_root, "encoded", "positive", "payload_one_str_header"));
        using var reader = new EventStreamReader(new MemoryStream(encoded[..keep]));

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_UnknownHeaderType_Throws()
    {
        // One header "x" of type 10, which does not exist, with valid checksums.
        byte[] frame = EventStreamFrames.Build([0x01, (byte)'x', 10], []);
        using var reader = new EventStreamReader(new MemoryStream(frame));

        InvalidDataException error = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Contains("type 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HeaderValueRunningPastTheHeaders_Throws()
    {
        // A string header claiming 200 bytes in a 6-byte headers block, with valid checksums.
        byte[] frame = EventStreamFrames.Build([0x01, (byte)'x', 7, 0x00, 0xC8, (byte)'a'], []);
        using var reader = new EventStreamReader(new MemoryStream(frame));

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    private static IEnumerable<object[]> Names(string kind)
    {
        foreach (string file in Directory.GetFiles(Path.Combine(s_root, "encoded", kind)).Order(StringComparer.Ordinal))
        {
            yield return [Path.GetFileName(file)];
        }
    }

    private static void AssertMatches(JsonElement expected, EventStreamMessage message)
    {
        Assert.Equal(expected.GetProperty("total_length").GetInt32(), message.TotalLength);
        Assert.Equal(expected.GetProperty("headers_length").GetInt32(), message.HeadersLength);
        Assert.Equal(unchecked((uint)expected.GetProperty("prelude_crc").GetInt32()), message.PreludeCrc);
        Assert.Equal(unchecked((uint)expected.GetProperty("message_crc").GetInt32()), message.MessageCrc);
        Assert.Equal(expected.GetProperty("payload").GetBytesFromBase64(), message.Payload.ToArray());

        var expectedHeaders = new List<JsonElement>(expected.GetProperty("headers").EnumerateArray());
        int index = 0;
        foreach (EventStreamHeader header in message.EnumerateHeaders())
        {
            JsonElement want = expectedHeaders[index++];
            Assert.Equal(want.GetProperty("name").GetString(), System.Text.Encoding.UTF8.GetString(header.Name));
            Assert.Equal(want.GetProperty("type").GetInt32(), (int)header.Type);
            JsonElement value = want.GetProperty("value");
            switch (header.Type)
            {
                case EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse:
                    Assert.Equal(value.GetBoolean(), header.GetBoolean());
                    break;
                case EventStreamHeaderType.Byte or EventStreamHeaderType.Int16 or EventStreamHeaderType.Int32
                    or EventStreamHeaderType.Int64 or EventStreamHeaderType.Timestamp:
                    Assert.Equal(value.GetInt64(), header.GetInt64());
                    break;
                default:
                    Assert.Equal(value.GetBytesFromBase64(), header.Value.ToArray());
                    break;
            }
        }

        Assert.Equal(expectedHeaders.Count, index);
    }

    /// <summary>A read-only stream that returns one byte per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= data.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = data[_position++];
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
