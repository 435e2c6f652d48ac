using ModelGateway;

namespace ChatApi.Errors;

/// <summary>
/// Maps what the gateway throws to the status a client should see. The messages are written here, never copied from the
/// exception: a provider's own message can name internal deployments or echo request headers, so it stays in the logs.
/// </summary>
internal static class GatewayErrors
{
    public static ApiError Describe(Exception exception, TimeProvider time) => exception switch
    {
        UnknownModelException unknown => new ApiError(
            StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found",
            unknown.Model is null
                ? "No model was requested."
                : $"The model '{unknown.Model}' does not exist. Available models: {string.Join(", ", unknown.KnownModels)}.",
            "model"),
        RateLimitExceededException limited => new ApiError(
            StatusCodes.Status429TooManyRequests, "rate_limit_error", "rate_limit_exceeded",
            "Rate limit exceeded. Retry after the time in the Retry-After header.", RetryAfter: limited.RetryAfter),
        BudgetExceededException budget => new ApiError(
            StatusCodes.Status429TooManyRequests, "insufficient_quota", "budget_exceeded",
            budget.ResetsAt is { } resets
                ? $"The {budget.Scope.ToString().ToLowerInvariant()} budget for this period is spent; it resets at {resets:O}."
                : $"The {budget.Scope.ToString().ToLowerInvariant()} budget is spent.",
            RetryAfter: budget.ResetsAt is { } at ? at - time.GetUtcNow() : null),
        ProviderException provider => FromKind(provider.Kind, provider.RetryAfter, provider.ProviderErrorCode, allSameKind: true),
        ModelGatewayException { Attempts.Count: > 0 } allFailed => FromAttempts(allFailed),
        ModelGatewayException => new ApiError(
            StatusCodes.Status502BadGateway, "server_error", "provider_error", "The model provider failed to answer."),
        _ => new ApiError(StatusCodes.Status500InternalServerError, "server_error", "internal_error", "The server failed to process the request."),
    };

    /// <summary>Every deployment and fallback failed: the status says what they all did; a mix is a bad gateway.</summary>
    private static ApiError FromAttempts(ModelGatewayException exception)
    {
        ProviderErrorKind? first = exception.Attempts[0].ErrorKind;
        bool same = true;
        foreach (GatewayAttempt attempt in exception.Attempts)
        {
            same &= attempt.ErrorKind == first;
        }

        ProviderException? last = exception.InnerException as ProviderException;
        ProviderErrorKind kind = last?.Kind ?? first ?? ProviderErrorKind.Unknown;
        return FromKind(kind, last?.RetryAfter, last?.ProviderErrorCode, same);
    }

    private static ApiError FromKind(ProviderErrorKind kind, TimeSpan? retryAfter, string? providerCode, bool allSameKind) => kind switch
    {
        ProviderErrorKind.BadRequest => new ApiError(
            StatusCodes.Status400BadRequest, "invalid_request_error", providerCode, "The model provider rejected the request as invalid."),
        ProviderErrorKind.ContextWindowExceeded => new ApiError(
            StatusCodes.Status400BadRequest, "invalid_request_error", "context_length_exceeded",
            "The messages are longer than the model's context window.", "messages"),
        ProviderErrorKind.ContentFiltered => new ApiError(
            StatusCodes.Status400BadRequest, "invalid_request_error", "content_filter", "The request or the answer was blocked by a content filter."),
        ProviderErrorKind.RateLimited when allSameKind => new ApiError(
            StatusCodes.Status429TooManyRequests, "rate_limit_error", "rate_limit_exceeded",
            "Every model provider for this model is rate-limiting requests. Retry later.", RetryAfter: retryAfter),
        ProviderErrorKind.Timeout when allSameKind => new ApiError(
            StatusCodes.Status504GatewayTimeout, "server_error", "timeout", "The model provider did not answer in time."),
        _ => new ApiError(StatusCodes.Status502BadGateway, "server_error", "provider_error", "The model provider failed to answer."),
    };
}
