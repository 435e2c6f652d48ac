using System.Buffers;

namespace ModelGateway.Buffers;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over <see cref="ArrayPool{T}"/> buffers, for building request bodies and
/// holding response bodies without a fresh array per call. Not thread-safe; dispose it to return the buffer. A writer
/// kept for reuse (see <see cref="PooledJsonWriter"/>) gives its buffer back with <see cref="ReturnBuffer"/> after each
/// document instead, and rents one again on its next write.
/// </summary>
internal sealed class PooledByteBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumSize = 4096;
    private byte[] _buffer;
    private int _written;
    private bool _disposed;

    /// <summary>Creates a writer; with <paramref name="initialCapacity"/> 0 nothing is rented until the first write.</summary>
    public PooledByteBufferWriter(int initialCapacity = MinimumSize)
    {
        _buffer = initialCapacity > 0 ? ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, MinimumSize)) : [];
    }

    /// <summary>Gets the bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>Gets the bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>Gets the number of bytes written so far.</summary>
    public int WrittenCount => _written;

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
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Reads <paramref name="stream"/> to its end, or until <paramref name="limit"/> bytes, into this buffer.</summary>
    /// <returns><see langword="true"/> when the whole stream was read; <see langword="false"/> when it was longer than the limit.</returns>
    public async ValueTask<bool> ReadFromAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        while (_written < limit)
        {
            Memory<byte> memory = GetMemory(MinimumSize);
            if (memory.Length > limit - _written)
            {
                memory = memory[..(limit - _written)];
            }

            int read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return true;
            }

            _written += read;
        }

        return false;
    }

    /// <summary>Forgets what was written and gives the buffer back to the pool; the next write rents one again.</summary>
    public void ReturnBuffer()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        ReturnBuffer();
        _disposed = true;
    }

    private void EnsureCapacity(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        byte[] newBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, MinimumSize), _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(newBuffer);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = newBuffer;
    }
}
