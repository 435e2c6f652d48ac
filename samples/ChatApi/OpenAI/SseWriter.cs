using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ChatApi.OpenAI;

/// <summary>
/// Writes server-sent events of the form <c>data: {json}\n\n</c> straight into the response pipe, one flush per event so
/// each chunk reaches the client as soon as the provider produced it.
/// </summary>
internal sealed class SseWriter : IAsyncDisposable
{
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    public SseWriter(PipeWriter pipe)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
    }

    public async ValueTask WriteAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        _pipe.Write("data: "u8);
        _json.Reset(_pipe);
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        _pipe.Write("\n\n"u8);
        await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the stream's terminator, <c>data: [DONE]</c>.</summary>
    public async ValueTask WriteDoneAsync(CancellationToken cancellationToken)
    {
        _pipe.Write("data: [DONE]\n\n"u8);
        await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _json.DisposeAsync();
}
