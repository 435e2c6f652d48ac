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
internal sealed class PooledJsonWriter
{
    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true };

    private readonly PooledByteBufferWriter _buffer = new(initialCapacity: 0);
    private readonly Utf8JsonWriter _json;

    public PooledJsonWriter()
    {
        _json = new Utf8JsonWriter(_buffer, s_writerOptions);
    }

    /// <summary>Starts a document: returns the JSON writer in its initial state over an empty buffer (rented on its first write).</summary>
    public Utf8JsonWriter Begin()
    {
        // A previous document that failed half-way (a type the contract does not know) may have left state behind.
        _buffer.ReturnBuffer();
        _json.Reset(_buffer);
        return _json;
    }

    /// <summary>Flushes the JSON writer and returns a copy of the document's bytes (then call <see cref="Release"/>).</summary>
    public byte[] Finish()
    {
        _json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>Gives the buffer back to the pool and clears the JSON writer (after every document, finished or failed). Idempotent.</summary>
    public void Release()
    {
        _json.Reset(_buffer);
        _buffer.ReturnBuffer();
    }
}
