namespace ModelGateway;

/// <summary>
/// The keys under which the gateway stores its own values in <c>AdditionalProperties</c>. Every key starts with
/// <see cref="Prefix"/>; keys with that prefix are reserved for the gateway, read by it, and removed before a
/// provider sees the options.
/// </summary>
public static class GatewayPropertyNames
{
    /// <summary>The prefix shared by every gateway key: <c>modelgateway.</c>.</summary>
    public const string Prefix = "modelgateway.";

    /// <summary>The end user a request is made for (a <see cref="string"/>), used by budgets, rate limits and the cache scope.</summary>
    public const string User = Prefix + "user";

    /// <summary>The application feature a request belongs to (a <see cref="string"/>), used for cost attribution and routes.</summary>
    public const string Feature = Prefix + "feature";

    /// <summary>The team a request is charged to (a <see cref="string"/>).</summary>
    public const string Team = Prefix + "team";

    /// <summary>Free-form tags of a request (a <see cref="string"/> array), used by routes, budgets and cost reports.</summary>
    public const string Tags = Prefix + "tags";

    /// <summary>How the response cache treats a request (a <see cref="ModelGateway.CacheMode"/>).</summary>
    public const string CacheMode = Prefix + "cache_mode";

    /// <summary>How long the response cache keeps a request's answer (a positive <see cref="System.TimeSpan"/>), overriding <c>Cache:Ttl</c>.</summary>
    public const string CacheTtl = Prefix + "cache_ttl";

    /// <summary>The <see cref="GatewayResponseInfo"/> attached to a response or to the final streaming update.</summary>
    public const string ResponseInfo = Prefix + "info";

    /// <summary>Internal: where the per-request state travels when the caller's options are its own <c>ChatOptions</c>
    /// subclass (otherwise it travels beside the options, in the gateway's own copy).</summary>
    internal const string Context = Prefix + "context";

    /// <summary>Returns whether <paramref name="key"/> is reserved for the gateway.</summary>
    internal static bool IsGatewayKey(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);
}
