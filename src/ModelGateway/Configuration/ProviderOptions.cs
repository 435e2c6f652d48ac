namespace ModelGateway;

/// <summary>
/// How to reach one account of one vendor: an entry of <c>ModelGateway:Providers</c>. Which keys apply depends on
/// <see cref="Type"/>; see <c>docs/providers.md</c>.
/// </summary>
/// <remarks>
/// Secrets (<see cref="ApiKey"/>, <see cref="AccessToken"/>, <see cref="SecretAccessKey"/>, <see cref="SessionToken"/>)
/// never appear in logs, exception messages, cache keys or traces. Prefer environment variables or a secret store for them.
/// </remarks>
public sealed class ProviderOptions
{
    /// <summary>Gets or sets the configured name of the provider (the key under <c>Providers</c>). Set by the gateway.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the provider type: <c>openai</c>, <c>azure-openai</c>, <c>openai-compatible</c> (and its presets), <c>anthropic</c>,
    /// <c>gemini</c>, <c>vertex-ai</c>, <c>bedrock</c>, <c>cohere</c>, <c>fake</c>, or a type added with
    /// <see cref="IModelGatewayBuilder.AddProviderType"/>.</summary>
    public string? Type { get; set; }

    /// <summary>Gets or sets the API key. When absent, most types read the vendor's usual environment variable.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the base URL, overriding the type's default (for OpenAI and compatibles it includes the version path).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Gets or sets the resource endpoint (Azure OpenAI: <c>https://{resource}.openai.azure.com</c>).</summary>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the API version (Azure OpenAI <c>api-version</c>; Gemini path version; Anthropic <c>anthropic-version</c>).</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Gets extra HTTP headers sent with every request to this provider.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the HTTP timeout for one call to this provider; <see langword="null"/> leaves timing to <see cref="ResilienceOptions"/>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets the OpenAI organization id, sent as <c>OpenAI-Organization</c>.</summary>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the project: the Google Cloud project for Vertex AI, or the OpenAI project sent as <c>OpenAI-Project</c>.</summary>
    public string? Project { get; set; }

    /// <summary>Gets or sets the Google Cloud location for Vertex AI (for example <c>us-central1</c>).</summary>
    public string? Location { get; set; }

    /// <summary>Gets or sets a bearer access token (Vertex AI, or Azure OpenAI with Entra ID).</summary>
    public string? AccessToken { get; set; }

    /// <summary>Gets or sets a callback that returns a fresh bearer token for each call (Entra ID, Google credentials).
    /// Code-only; takes precedence over <see cref="AccessToken"/>.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>Gets or sets the AWS region for Bedrock (falls back to <c>AWS_REGION</c>).</summary>
    public string? Region { get; set; }

    /// <summary>Gets or sets the AWS access key id for Bedrock (falls back to <c>AWS_ACCESS_KEY_ID</c>).</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Gets or sets the AWS secret access key for Bedrock (falls back to <c>AWS_SECRET_ACCESS_KEY</c>).</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Gets or sets the AWS session token for Bedrock (falls back to <c>AWS_SESSION_TOKEN</c>).</summary>
    public string? SessionToken { get; set; }

    /// <summary>Gets or sets a callback that returns the AWS credentials to sign each Bedrock call with (an assumed role,
    /// web identity, instance profile, or any other source). Code-only; takes precedence over every other Bedrock credential.</summary>
    /// <remarks>Called once per call, so it should cache and refresh credentials itself; it must be thread-safe.</remarks>
    public Func<CancellationToken, ValueTask<AwsCredentials>>? AwsCredentialsProvider { get; set; }

    /// <summary>Gets or sets whether streamed requests send <c>stream_options.include_usage</c> (OpenAI-compatible servers).</summary>
    /// <value>The default value is <see langword="true"/>; set <see langword="false"/> for servers that reject <c>stream_options</c>.</value>
    public bool SendStreamOptions { get; set; } = true;

    /// <summary>Gets or sets the body field that carries the output-token limit: <c>max_completion_tokens</c> or <c>max_tokens</c>.</summary>
    /// <value>The default value is <see langword="null"/>: the type's own choice (<c>max_completion_tokens</c> for OpenAI).</value>
    public string? MaxTokensParameter { get; set; }

    /// <summary>Gets or sets beta features to enable (Anthropic <c>anthropic-beta</c>, comma-separated).</summary>
    public string? Beta { get; set; }

    /// <summary>Fake provider: gets or sets whether to answer with the last user message.</summary>
    public bool Echo { get; set; }

    /// <summary>Fake provider: gets or sets how long each call takes.</summary>
    public TimeSpan? Latency { get; set; }

    /// <summary>Fake provider: gets or sets the share of calls, from 0 to 1, that fail as <see cref="ProviderErrorKind.Unavailable"/>.</summary>
    public double FailureRate { get; set; }

    /// <summary>Fake provider: gets the canned answers, used in turn when <see cref="Echo"/> is <see langword="false"/>.</summary>
    public IList<string> Responses { get; } = [];

    /// <summary>Fake provider: gets the token usage it reports, so cost and budgets can be tested.</summary>
    public FakeUsageOptions Usage { get; } = new();
}
