namespace ChatApi.Errors;

/// <summary>
/// What a client is told about a failed request: an HTTP status, OpenAI-style <c>type</c> and <c>code</c>, a message safe
/// to show (no keys, no provider internals, no stack), and how long to wait before retrying when that is known.
/// </summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Type">The error type (OpenAI's <c>error.type</c>).</param>
/// <param name="Code">A stable machine-readable code, or null.</param>
/// <param name="Message">A message for the caller.</param>
/// <param name="Param">The request field at fault, or null.</param>
/// <param name="RetryAfter">The wait to put in <c>Retry-After</c>, or null.</param>
internal readonly record struct ApiError(int Status, string Type, string? Code, string Message, string? Param = null, TimeSpan? RetryAfter = null)
{
    /// <summary>Writes <c>Retry-After</c> (whole seconds, rounded up, at least 1) when the error has a wait.</summary>
    public void ApplyHeaders(HttpResponse response)
    {
        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
