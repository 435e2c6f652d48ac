namespace ModelGateway;

/// <summary>What the gateway writes to logs and traces.</summary>
public sealed class GatewayLoggingOptions
{
    /// <summary>Gets or sets whether message text appears in logs and traces.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludeContent { get; set; }

    /// <summary>Gets or sets whether the user id (<c>WithUser</c>) is a tag on the gateway's request, cost and rejection
    /// counters. Spans always carry it; metrics do not by default, because user ids are unbounded and every distinct
    /// value becomes a new time series in the metrics backend.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UserMetricTags { get; set; }
}
