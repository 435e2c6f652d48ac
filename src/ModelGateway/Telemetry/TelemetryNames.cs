namespace ModelGateway.Telemetry;

/// <summary>
/// The names the gateway's telemetry uses: its source and meter, the OpenTelemetry GenAI semantic-convention attributes and
/// instruments it emits, and its own <c>modelgateway.*</c> attributes and instruments. <c>docs/observability.md</c> lists them.
/// </summary>
internal static class TelemetryNames
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>, the <see cref="System.Diagnostics.Metrics.Meter"/> and the log category.</summary>
    public const string SourceName = "ModelGateway";

    public const string ChatOperation = "chat";

    // OpenTelemetry GenAI attributes.
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string RequestTemperature = "gen_ai.request.temperature";
    public const string RequestTopP = "gen_ai.request.top_p";
    public const string RequestTopK = "gen_ai.request.top_k";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string RequestStopSequences = "gen_ai.request.stop_sequences";
    public const string RequestFrequencyPenalty = "gen_ai.request.frequency_penalty";
    public const string RequestPresencePenalty = "gen_ai.request.presence_penalty";
    public const string RequestSeed = "gen_ai.request.seed";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ResponseId = "gen_ai.response.id";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string ResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string SystemInstructions = "gen_ai.system_instructions";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string ErrorType = "error.type";
    public const string HttpStatusCode = "http.response.status_code";

    /// <summary>The span event that carries message content (opt-in).</summary>
    public const string ContentEvent = "gen_ai.client.inference.operation.details";

    // The gateway's own attributes.
    public const string Alias = "modelgateway.alias";
    public const string Provider = "modelgateway.provider";
    public const string Deployment = "modelgateway.deployment";
    public const string Attempt = "modelgateway.attempt";
    public const string AttemptDelay = "modelgateway.attempt.delay";
    public const string Attempts = "modelgateway.attempts";
    public const string Fallback = "modelgateway.fallback";
    public const string FallbackAlias = "modelgateway.fallback.alias";
    public const string FallbackDepth = "modelgateway.fallback.depth";
    public const string CacheHit = "modelgateway.cache_hit";
    public const string CostUsd = "modelgateway.cost_usd";
    public const string User = "modelgateway.user";
    public const string Team = "modelgateway.team";
    public const string Feature = "modelgateway.feature";
    public const string Tags = "modelgateway.tags";
    public const string Outcome = "modelgateway.outcome";
    public const string Degraded = "modelgateway.degraded";
    public const string Streaming = "modelgateway.streaming";
    public const string Abandoned = "modelgateway.abandoned";
    public const string ProviderErrorCode = "modelgateway.provider_error_code";
    public const string LimitScope = "modelgateway.limit.scope";

    // Instruments.
    public const string OperationDurationMetric = "gen_ai.client.operation.duration";
    public const string TokenUsageMetric = "gen_ai.client.token.usage";
    public const string TimeToFirstChunkMetric = "gen_ai.client.operation.time_to_first_chunk";
    public const string AttemptDurationMetric = "modelgateway.attempt.duration";
    public const string RequestsMetric = "modelgateway.requests";
    public const string CostMetric = "modelgateway.cost";
    public const string RetriesMetric = "modelgateway.retries";
    public const string FallbacksMetric = "modelgateway.fallbacks";
    public const string CooldownsMetric = "modelgateway.cooldowns";
    public const string CacheHitsMetric = "modelgateway.cache.hits";
    public const string CacheMissesMetric = "modelgateway.cache.misses";
    public const string BudgetRejectionsMetric = "modelgateway.budget.rejections";
    public const string RateLimitRejectionsMetric = "modelgateway.rate_limit.rejections";

    // Outcomes of a call (modelgateway.outcome).
    public const string OutcomeSuccess = "success";
    public const string OutcomeDegraded = "degraded";
    public const string OutcomeError = "error";
    public const string OutcomeCancelled = "cancelled";
    public const string OutcomeBudgetRejected = "budget_rejected";
    public const string OutcomeRateLimited = "rate_limited";

    // error.type values the gateway reports besides the ProviderErrorKind codes.
    public const string ErrorBudgetExceeded = "budget_exceeded";
    public const string ErrorRateLimitExceeded = "rate_limit_exceeded";

    /// <summary>The OpenTelemetry semantic-convention bucket boundaries for durations, in seconds.</summary>
    public static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>The OpenTelemetry semantic-convention bucket boundaries for token counts.</summary>
    public static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private static readonly string[] s_errorKindCodes =
    [
        "rate_limited", "timeout", "unavailable", "authentication", "not_found", "bad_request",
        "context_window_exceeded", "content_filtered", "invalid_response", "unknown",
    ];

    /// <summary>Returns the low-cardinality <c>error.type</c> code of a failure kind (snake case, no allocation).</summary>
    public static string ErrorCode(ProviderErrorKind kind)
    {
        int index = (int)kind;
        return (uint)index < (uint)s_errorKindCodes.Length ? s_errorKindCodes[index] : "unknown";
    }

    /// <summary>Returns the <c>error.type</c> of an exception that ended a call: a kind code, a rejection code, or the exception's type name.</summary>
    public static string ErrorTypeOf(Exception exception) => exception switch
    {
        ProviderException provider => ErrorCode(provider.Kind),
        BudgetExceededException => ErrorBudgetExceeded,
        RateLimitExceededException => ErrorRateLimitExceeded,
        ModelGatewayException { InnerException: ProviderException last } => ErrorCode(last.Kind),
        _ => exception.GetType().FullName ?? "_OTHER",
    };

    /// <summary>
    /// Maps a configured provider type to the <c>gen_ai.provider.name</c> well-known value of the OpenTelemetry GenAI
    /// conventions; a type with no well-known value (a local server, an aggregator, a custom type) reports its own name.
    /// </summary>
    public static string GenAiProviderName(string? providerType) => providerType?.ToLowerInvariant() switch
    {
        null or "" => "_OTHER",
        "openai" or "openai-compatible" => "openai",
        "azure-openai" => "azure.ai.openai",
        "anthropic" => "anthropic",
        "gemini" => "gcp.gemini",
        "vertex-ai" => "gcp.vertex_ai",
        "bedrock" => "aws.bedrock",
        "cohere" => "cohere",
        "groq" => "groq",
        "mistral" => "mistral_ai",
        "deepseek" => "deepseek",
        "xai" => "x_ai",
        "perplexity" => "perplexity",
        string other => other,
    };
}
