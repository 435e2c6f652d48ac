namespace ModelGateway;

/// <summary>
/// The base type of every exception the gateway throws. When every deployment and fallback of a request
/// failed, this exception itself is thrown and <see cref="Attempts"/> lists each failed attempt in order.
/// </summary>
public class ModelGatewayException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ModelGatewayException"/> class.</summary>
    public ModelGatewayException()
        : this("The model gateway could not complete the request.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelGatewayException"/> class.</summary>
    /// <param name="message">The message that describes the error.</param>
    public ModelGatewayException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelGatewayException"/> class.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ModelGatewayException(string message, Exception? innerException)
        : this(message, [], innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelGatewayException"/> class.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="attempts">Every attempt made for the request, in order.</param>
    /// <param name="innerException">The exception that caused this one (usually the last failure), if any.</param>
    public ModelGatewayException(string message, IReadOnlyList<GatewayAttempt> attempts, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        Attempts = attempts;
    }

    /// <summary>Gets every attempt made for the request, in order. Empty when the request failed before any attempt.</summary>
    public IReadOnlyList<GatewayAttempt> Attempts { get; }
}
