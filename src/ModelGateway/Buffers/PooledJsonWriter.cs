using System.Buffers;
using System.Text.Json;

namespace ModelGateway.Buffers;

/// <summary>
/// A buffer and a <see cref="Utf8JsonWriter"/> over it, kept for reuse so that writing a document (a cache entry, a
/// request body) allocates nothing but the document's own byte array. The buffer is rented from
/// <see cref="ArrayPool{T}.Shared"/> for each document and returned when the document is done, so an idle writer holds
/// no large buffer. The writer skips validation: its callers write well-formed JSON by construction.
/// </summary>
/// <remarks>Not thread-safe: one document at a time. <see cref="ReusePool{T}"/> hands writers out.</remarks>
internal sealed class PooledJsonWriter : IBufferWriter<byte>
{
    private const int MinimumSize = 4096;

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true };

    private readonly Utf8JsonWriter _json;
    private byte[] _buffer = [];
    private int _written;

    public PooledJsonWriter()
    {
        _json = new Utf8JsonWriter(this, s_writerOptions);
    }

    /// <summary>Starts a document: rents the buffer and returns the JSON writer over it, in its initial state.</summary>
    public Utf8JsonWriter Begin()
    {
        _written = 0;
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(MinimumSize);
        }

        // A previous document that failed half-way (a type the contract does not know) may have left state behind.
        _json.Reset(this);
        return _json;
    }

    /// <summary>Flushes the JSON writer and returns a copy of the document's bytes (then call <see cref="Release"/>).</summary>
    public byte[] Finish()
    {
        _json.Flush();
        return _buffer.AsSpan(0, _written).ToArray();
    }

    /// <summary>Gives the buffer back to the pool and clears the JSON writer (after every document, finished or failed). Idempotent.</summary>
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
