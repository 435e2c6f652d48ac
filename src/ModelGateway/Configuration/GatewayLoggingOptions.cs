namespace ModelGateway;

/// <summary>What the gateway writes to logs and traces.</summary>
public sealed class GatewayLoggingOptions
{
    /// <summary>Gets or sets whether message text appears in logs and traces.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludeContent { get; set; }
}
