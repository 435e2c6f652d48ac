namespace ChatApi.OpenAI;

/// <summary>The request body breaks the OpenAI contract; the message says what is wrong and <see cref="Param"/> where.</summary>
internal sealed class InvalidRequestException(string message, string? param) : Exception(message)
{
    /// <summary>Gets the path of the offending field (<c>messages[1].content</c>), or null.</summary>
    public string? Param { get; } = param;
}
