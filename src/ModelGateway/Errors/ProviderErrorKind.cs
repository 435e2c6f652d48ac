namespace ModelGateway;

/// <summary>
/// Classifies why a provider call failed. The router decides from the kind whether to retry,
/// move to another deployment, use a fallback alias, or surface the error.
/// </summary>
public enum ProviderErrorKind
{
    /// <summary>The provider rejected the call for rate or quota reasons (HTTP 429 or the provider's own quota error).</summary>
    RateLimited,

    /// <summary>The call timed out: HTTP 408, the attempt timeout, or a streaming first-token or idle timeout.</summary>
    Timeout,

    /// <summary>The provider is unreachable or failing (HTTP 5xx, 529 overloaded, connection refused or reset, DNS).</summary>
    Unavailable,

    /// <summary>The credentials were rejected (HTTP 401 or 403).</summary>
    Authentication,

    /// <summary>The model or deployment does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>The request was rejected as malformed (HTTP 400 or 422) for a reason other than context length or content policy.</summary>
    BadRequest,

    /// <summary>The prompt is longer than the model's context window.</summary>
    ContextWindowExceeded,

    /// <summary>A content filter or safety system blocked the prompt or the answer.</summary>
    ContentFiltered,

    /// <summary>The provider answered with a success status but the body or stream could not be read.</summary>
    InvalidResponse,

    /// <summary>The failure could not be classified.</summary>
    Unknown,
}
