namespace ModelGateway.Providers.OpenAI;

/// <summary>
/// Everything that differs between the OpenAI-shaped provider types, resolved once at start-up: where to send a call,
/// how to authenticate it and which body fields the server accepts.
/// </summary>
internal sealed record OpenAIEndpoint
{
    /// <summary>Gets the provider name reported in <see cref="Microsoft.Extensions.AI.ChatClientMetadata"/> (<c>openai</c>, <c>azure.ai.openai</c>, <c>groq</c>…).</summary>
    public required string ProviderName { get; init; }

    /// <summary>Gets the fixed <c>…/chat/completions</c> URL, or <see langword="null"/> when the URL names the model (Azure deployments).</summary>
    public Uri? ChatCompletionsUri { get; init; }

    /// <summary>Gets the root the Azure deployment URL is built on (<c>{endpoint}/openai/deployments/</c>).</summary>
    public string? DeploymentsPrefix { get; init; }

    /// <summary>Gets what follows the deployment name (<c>/chat/completions?api-version=…</c>).</summary>
    public string? DeploymentSuffix { get; init; }

    /// <summary>Gets the root shown in metadata.</summary>
    public Uri? ProviderUri { get; init; }

    /// <summary>Gets whether the body carries <c>model</c> (every route but Azure's deployment URLs).</summary>
    public bool ModelInBody { get; init; } = true;

    public OpenAIAuthScheme AuthScheme { get; init; }

    /// <summary>Gets the API key or static token, when the scheme uses a fixed one.</summary>
    public string? Credential { get; init; }

    /// <summary>Gets the token callback for <see cref="OpenAIAuthScheme.TokenProvider"/>.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; init; }

    /// <summary>Gets the message of the error raised before any call when a required key is missing; null when none is required.</summary>
    public string? MissingCredentialMessage { get; init; }

    /// <summary>Gets the body field of the output-token limit: <c>max_completion_tokens</c> or <c>max_tokens</c>.</summary>
    public required string MaxTokensField { get; init; }

    /// <summary>Gets whether streamed calls send <c>stream_options.include_usage</c>.</summary>
    public bool SendStreamOptions { get; init; } = true;

    /// <summary>Gets the headers sent with every call besides authentication (organization, project, configured headers).</summary>
    public KeyValuePair<string, string>[] Headers { get; init; } = [];
}
