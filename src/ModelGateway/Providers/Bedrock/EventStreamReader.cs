using System.Buffers;

namespace ModelGateway.Providers.Bedrock;

/// <summary>
/// Reads event-stream messages one at a time from a stream as the bytes arrive, in a pooled buffer that grows only for
/// a larger message. Not thread-safe; the message returned is valid until the next read.
/// </summary>
internal sealed class EventStreamReader : IDisposable
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _consumed;

    public EventStreamReader(Stream stream, int initialBufferSize = InitialBufferSize)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialBufferSize, EventStreamDecoder.PreludeLength));
    }

    /// <summary>
    /// Reads the next message, or returns <see langword="null"/> when the stream ends cleanly between messages.
    /// </summary>
    /// <exception cref="InvalidDataException">A frame is corrupt, or the stream ends inside one.</exception>
    public async ValueTask<EventStreamMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        _start += _consumed;
        _consumed = 0;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (!await FillAsync(EventStreamDecoder.PreludeLength, cancellationToken).ConfigureAwait(false))
        {
            if (_end == _start)
            {
                return null;
            }

            throw new InvalidDataException("The event stream ended inside a message prelude.");
        }

        int totalLength = EventStreamDecoder.ReadTotalLength(_buffer.AsSpan(_start, EventStreamDecoder.PreludeLength));
        if (!await FillAsync(totalLength, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidDataException("The event stream ended inside a message.");
        }

        EventStreamMessage message = EventStreamDecoder.Decode(_buffer.AsMemory(_start, totalLength));
        _consumed = totalLength;
        return message;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Makes at least `count` unread bytes available from _start; false when the stream ends first.
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (count > _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            _end -= _start;
            _start = 0;
        }
        else if (_buffer.Length - _start < count)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < count)
        {
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
