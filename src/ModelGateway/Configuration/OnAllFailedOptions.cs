namespace ModelGateway;

/// <summary>What the gateway answers when every deployment and fallback failed.</summary>
public sealed class OnAllFailedOptions
{
    /// <summary>Gets or sets a text to answer with instead of throwing; the response is marked
    /// <see cref="GatewayResponseInfo.Degraded"/>. Requests rejected as <see cref="ProviderErrorKind.BadRequest"/> still throw.</summary>
    /// <value>The default value is <see langword="null"/>: throw.</value>
    public string? Message { get; set; }
}
