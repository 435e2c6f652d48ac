using System.Net;
using System.Net.Http.Headers;

namespace ModelGateway.Benchmarks.Fixtures;

/// <summary>
/// An in-memory <see cref="HttpMessageHandler"/> that answers every request with the same body. It drains the request
/// content first, as a socket handler would, so that clients which serialize lazily pay for it too.
/// </summary>
internal sealed class FixedResponseHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private static readonly MediaTypeHeaderValue s_eventStream = new("text/event-stream");

    private readonly byte[] _body;
    private readonly MediaTypeHeaderValue _contentType;

    public FixedResponseHandler(byte[] body, bool eventStream)
        : this(body, eventStream ? s_eventStream : s_json)
    {
    }

    public FixedResponseHandler(byte[] body, MediaTypeHeaderValue contentType)
    {
        _body = body;
        _contentType = contentType;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(_body),
        };
        response.Content.Headers.ContentType = _contentType;
        return response;
    }
}
