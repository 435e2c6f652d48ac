using System.Buffers;
using System.Text.Json;

namespace ModelGateway.Caching;

/// <summary>
/// The buffer and <see cref="Utf8JsonWriter"/> that serialize cache entries, kept for reuse so that writing an entry
/// allocates nothing but the entry's own byte array. The buffer is rented from <see cref="ArrayPool{T}.Shared"/> for
/// each entry and returned when the entry is done, so an idle writer holds no large buffer.
/// </summary>
/// <remarks>Not thread-safe: one entry at a time. <see cref="ReusePool{T}"/> hands writers out.</remarks>
internal sealed class CacheEntryWriter : IBufferWriter<byte>
{
    private const int MinimumSize = 4096;

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true };

    private readonly Utf8JsonWriter _json;
    private byte[] _buffer = [];
    private int _written;

    public CacheEntryWriter()
    {
        _json = new Utf8JsonWriter(this, s_writerOptions);
    }

    /// <summary>Starts an entry: rents the buffer and returns the JSON writer over it, in its initial state.</summary>
    public Utf8JsonWriter Begin()
    {
        _written = 0;
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(MinimumSize);
        }

        // A previous entry that failed half-way (a type the contract does not know) may have left state behind.
        _json.Reset(this);
        return _json;
    }

    /// <summary>Flushes the JSON writer and returns a copy of the entry's bytes (then call <see cref="Release"/>).</summary>
    public byte[] Finish()
    {
        _json.Flush();
        return _buffer.AsSpan(0, _written).ToArray();
    }

    /// <summary>Gives the buffer back to the pool and clears the JSON writer (after every entry, finished or failed). Idempotent.</summary>
    public void Release()
    {
        _json.Reset(this);
        _written = 0;
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written > _buffer.Length - count)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, MinimumSize), _written + needed));
        _buffer.AsSpan(0, _written).CopyTo(grown);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = grown;
    }
}
