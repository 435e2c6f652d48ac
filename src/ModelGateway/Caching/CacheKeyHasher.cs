using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace ModelGateway.Caching;

/// <summary>
/// Feeds a request's parts into SHA-256 through one pooled buffer: small values are framed (a tag, a length) and
/// buffered, long strings are transcoded to UTF-8 straight into the buffer a block at a time, and structured values
/// (tool schemas, content parts, additional properties) are written as JSON by a <see cref="Utf8JsonWriter"/> that
/// targets the same buffer, which is fed to a kept <see cref="IncrementalHash"/> when it fills and when the key is
/// finished. Not thread-safe: one key at a time, between
/// <see cref="Begin"/> and <see cref="Release"/>; an instance may serve many keys in turn (the cache client keeps a few).
/// </summary>
internal sealed class CacheKeyHasher : IBufferWriter<byte>, IDisposable
{
    private const int BufferSize = 16 * 1024;
    private const int DigestSize = 32;

    // Escaping only has to be deterministic here, not safe for HTML; the relaxed encoder escapes least and is fastest.
    private static readonly JsonWriterOptions s_jsonOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private byte[] _buffer;
    private int _position;
    private IncrementalHash? _hash;
    private bool _hashDirty;
    private Utf8JsonWriter? _json;

    public CacheKeyHasher()
    {
        _buffer = [];
    }

    /// <summary>Starts a key: rents the buffer. Call <see cref="Release"/> when the key is done (or failed).</summary>
    public void Begin()
    {
        _position = 0;
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        }
    }

    /// <summary>Returns the buffer to the pool and drops any partial hash, leaving the hasher ready for <see cref="Begin"/>. Idempotent.</summary>
    public void Release()
    {
        if (_hashDirty)
        {
            // A key that failed half-way left data in the hash: drop it, and keep the (native) hash context for the next key.
            Span<byte> discard = stackalloc byte[DigestSize];
            _hash!.GetHashAndReset(discard);
            _hashDirty = false;
        }

        _position = 0;
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt32(int value)
    {
        Ensure(sizeof(int));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += sizeof(int);
    }

    public void WriteInt64(long value)
    {
        Ensure(sizeof(long));
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += sizeof(long);
    }

    public void WriteNullable(int? value)
    {
        WriteBoolean(value.HasValue);
        if (value is { } v)
        {
            WriteInt32(v);
        }
    }

    public void WriteNullable(long? value)
    {
        WriteBoolean(value.HasValue);
        if (value is { } v)
        {
            WriteInt64(v);
        }
    }

    public void WriteNullable(float? value)
    {
        WriteBoolean(value.HasValue);
        if (value is { } v)
        {
            WriteInt32(BitConverter.SingleToInt32Bits(v));
        }
    }

    /// <summary>Writes a string as its length in UTF-16 code units followed by its UTF-8 bytes; <see langword="null"/> as length -1.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(value.Length);
        ReadOnlySpan<char> rest = value;
        while (!rest.IsEmpty)
        {
            // At least 4 bytes free, so every call makes progress (a scalar is at most 4 UTF-8 bytes).
            Ensure(4);
            OperationStatus status = Utf8.FromUtf16(rest, _buffer.AsSpan(_position), out int read, out int written, replaceInvalidSequences: true, isFinalBlock: true);
            _position += written;
            rest = rest[read..];
            if (status == OperationStatus.DestinationTooSmall)
            {
                Spill(0);
            }
        }
    }

    /// <summary>Writes raw bytes with their length in front; long spans go to the hash without being copied.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        if (value.Length <= _buffer.Length - _position)
        {
            value.CopyTo(_buffer.AsSpan(_position));
            _position += value.Length;
            return;
        }

        Spill(0);
        _hash!.AppendData(value);
    }

    /// <summary>Writes <paramref name="value"/> as JSON with <paramref name="typeInfo"/>.</summary>
    /// <exception cref="NotSupportedException">The value (or something it holds) has a type the resolver does not know.</exception>
    public void WriteJson(object? value, JsonTypeInfo typeInfo)
    {
        Utf8JsonWriter writer = JsonWriter();
        JsonSerializer.Serialize(writer, value, typeInfo);
        EndJson(writer);
    }

    /// <summary>Writes a JSON element as it was parsed.</summary>
    public void WriteJson(JsonElement value)
    {
        Utf8JsonWriter writer = JsonWriter();
        value.WriteTo(writer);
        EndJson(writer);
    }

    /// <summary>Writes a JSON node as JSON.</summary>
    public void WriteJson(JsonNode value)
    {
        Utf8JsonWriter writer = JsonWriter();
        value.WriteTo(writer);
        EndJson(writer);
    }

    /// <summary>Finishes the hash and returns <paramref name="prefix"/> followed by the digest in lowercase hex.</summary>
    public string Finish(string prefix)
    {
        // A reused IncrementalHash, even for a short request: on Linux the one-shot SHA256.HashData sets up and frees
        // an OpenSSL digest context on every call (about 545 ns for 300 bytes against 435 ns for a kept context).
        Span<byte> digest = stackalloc byte[DigestSize];
        IncrementalHash hash = _hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_buffer, 0, _position);
        hash.GetHashAndReset(digest);
        _hashDirty = false;

        _position = 0;
        Span<char> text = stackalloc char[prefix.Length + (DigestSize * 2)];
        prefix.AsSpan().CopyTo(text);
        Span<char> hex = text[prefix.Length..];
        for (int i = 0; i < digest.Length; i++)
        {
            hex[2 * i] = HexDigit(digest[i] >> 4);
            hex[(2 * i) + 1] = HexDigit(digest[i] & 0xF);
        }

        return new string(text);
    }

    public void Advance(int count) => _position += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_position);
    }

    public void Dispose()
    {
        Release();
        _json?.Dispose();
        _json = null;
        _hash?.Dispose();
        _hash = null;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);

    private Utf8JsonWriter JsonWriter()
    {
        if (_json is null)
        {
            _json = new Utf8JsonWriter(this, s_jsonOptions);
        }
        else
        {
            _json.Reset(this);
        }

        return _json;
    }

    private static void EndJson(Utf8JsonWriter writer) => writer.Flush();

    private void Ensure(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Spill(count);
        }
    }

    /// <summary>Moves what the buffer holds into the incremental hash; grows the buffer when one write needs more than it holds.</summary>
    private void Spill(int needed)
    {
        (_hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).AppendData(_buffer, 0, _position);
        _hashDirty = true;
        _position = 0;
        if (needed > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(needed);
        }
    }
}
