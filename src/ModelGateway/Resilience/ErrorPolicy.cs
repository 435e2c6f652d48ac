namespace ModelGateway.Resilience;

/// <summary>What the router does with each <see cref="ProviderErrorKind"/>: the error table of <c>BEHAVIOR.md</c> as code.</summary>
internal static class ErrorPolicy
{
    /// <summary>Whether the same deployment may be tried again (after backoff or Retry-After).</summary>
    public static bool IsRetryable(ProviderErrorKind kind) => kind is
        ProviderErrorKind.RateLimited or ProviderErrorKind.Timeout or ProviderErrorKind.Unavailable or ProviderErrorKind.InvalidResponse;

    /// <summary>Whether another deployment of the same group may be tried (context-window errors only on a larger one).</summary>
    public static bool MovesToOtherDeployment(ProviderErrorKind kind) => kind is not
        (ProviderErrorKind.BadRequest or ProviderErrorKind.ContentFiltered);

    /// <summary>Whether the failure stops the whole request: the request itself is at fault, so no other option can help.</summary>
    public static bool StopsRequest(ProviderErrorKind kind) => kind is ProviderErrorKind.BadRequest;

    /// <summary>Whether the failure counts toward a deployment's cooldown.</summary>
    public static bool CountsTowardCooldown(ProviderErrorKind kind) => kind is not
        (ProviderErrorKind.BadRequest or ProviderErrorKind.ContentFiltered or ProviderErrorKind.ContextWindowExceeded);

    /// <summary>The fallback aliases a group offers after it failed with <paramref name="kind"/>.</summary>
    public static string[] FallbacksFor(Routing.ModelGroup group, ProviderErrorKind kind) => kind switch
    {
        ProviderErrorKind.BadRequest => [],
        ProviderErrorKind.ContextWindowExceeded => group.ContextWindowFallbacks,
        ProviderErrorKind.ContentFiltered => group.ContentPolicyFallbacks,
        _ => group.Fallbacks,
    };
}
