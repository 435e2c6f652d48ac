using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.OpenAI;

/// <summary>The factories of the OpenAI-shaped provider types; everything is resolved here once, at start-up.</summary>
internal static class OpenAIProviderTypes
{
    public const string OpenAI = "openai";
    public const string AzureOpenAI = "azure-openai";
    public const string OpenAICompatible = "openai-compatible";

    public const string DefaultOpenAIBaseUrl = "https://api.openai.com/v1";
    public const string OpenAIApiKeyVariable = "OPENAI_API_KEY";
    public const string AzureApiKeyVariable = "AZURE_OPENAI_API_KEY";
    public const string AzureV1ApiVersion = "v1";

    public const string MaxCompletionTokens = "max_completion_tokens";
    public const string MaxTokens = "max_tokens";

    /// <summary>The <c>openai</c> type: api.openai.com (or <see cref="ProviderOptions.BaseUrl"/>) with a bearer key.</summary>
    public static IChatClient CreateOpenAI(IServiceProvider services, ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? key = ProviderHttp.OptionOrEnvironment(options.ApiKey, OpenAIApiKeyVariable);
        var headers = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(options.Organization))
        {
            headers.Add(new("OpenAI-Organization", options.Organization));
        }

        if (!string.IsNullOrEmpty(options.Project))
        {
            headers.Add(new("OpenAI-Project", options.Project));
        }

        string baseUrl = options.BaseUrl is { Length: > 0 } configured ? configured : DefaultOpenAIBaseUrl;
        return Create(services, options, BearerEndpoint(options, OpenAI, baseUrl, key, headers, MaxCompletionTokens));
    }

    /// <summary>The <c>openai-compatible</c> type: any server that speaks Chat Completions; <see cref="ProviderOptions.BaseUrl"/> is required.</summary>
    public static IChatClient CreateOpenAICompatible(IServiceProvider services, ProviderOptions options) =>
        CreateCompatible(services, options, OpenAICompatible, defaultBaseUrl: null, apiKeyVariable: null);

    /// <summary>The <c>azure-openai</c> type: the deployment route with a dated <c>api-version</c>, or the <c>/openai/v1/</c> route.</summary>
    public static IChatClient CreateAzureOpenAI(IServiceProvider services, ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string endpointText = options.Endpoint is { Length: > 0 } e ? e : options.BaseUrl is { Length: > 0 } b ? b
            : throw new InvalidOperationException($"Provider '{options.Name}' of type '{AzureOpenAI}' needs an Endpoint (https://{{resource}}.openai.azure.com).");
        string root = endpointText.TrimEnd('/');
        string apiVersion = options.ApiVersion is { Length: > 0 } v ? v : AzureV1ApiVersion;

        OpenAIAuthScheme scheme;
        string? credential = null;
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            scheme = OpenAIAuthScheme.ApiKeyHeader;
            credential = options.ApiKey;
        }
        else if (options.TokenProvider is not null)
        {
            scheme = OpenAIAuthScheme.TokenProvider;
        }
        else if (!string.IsNullOrEmpty(options.AccessToken))
        {
            scheme = OpenAIAuthScheme.BearerKey;
            credential = options.AccessToken;
        }
        else if (ProviderHttp.OptionOrEnvironment(null, AzureApiKeyVariable) is { } environmentKey)
        {
            scheme = OpenAIAuthScheme.ApiKeyHeader;
            credential = environmentKey;
        }
        else
        {
            scheme = OpenAIAuthScheme.None;
        }

        bool v1 = root.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase)
            || string.Equals(apiVersion, AzureV1ApiVersion, StringComparison.OrdinalIgnoreCase);
        string v1Root = root.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase) ? root : root + "/openai/v1";
        var endpoint = new OpenAIEndpoint
        {
            ProviderName = "azure.ai.openai",
            ProviderUri = new Uri(v1 ? v1Root : root),
            ChatCompletionsUri = v1 ? new Uri(v1Root + "/chat/completions") : null,
            DeploymentsPrefix = v1 ? null : root + "/openai/deployments/",
            DeploymentSuffix = v1 ? null : "/chat/completions?api-version=" + Uri.EscapeDataString(apiVersion),
            ModelInBody = v1,
            AuthScheme = scheme,
            Credential = credential,
            TokenProvider = options.TokenProvider,
            MissingCredentialMessage = scheme == OpenAIAuthScheme.None
                ? $"has no credential: set ApiKey, AccessToken or TokenProvider, or the {AzureApiKeyVariable} environment variable"
                : null,
            MaxTokensField = MaxTokensField(options, MaxCompletionTokens),
            SendStreamOptions = options.SendStreamOptions,
            Headers = ConfiguredHeaders(options, []),
        };
        return Create(services, options, endpoint);
    }

    /// <summary>Builds a compatible provider: the configured base URL or the preset's, a key from options or the preset's variable.</summary>
    public static IChatClient CreateCompatible(IServiceProvider services, ProviderOptions options, string type, string? defaultBaseUrl, string? apiKeyVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        string baseUrl = options.BaseUrl is { Length: > 0 } configured ? configured : defaultBaseUrl
            ?? throw new InvalidOperationException($"Provider '{options.Name}' of type '{type}' needs a BaseUrl (for example http://localhost:8000/v1).");
        string? key = apiKeyVariable is null ? NullIfEmpty(options.ApiKey) : ProviderHttp.OptionOrEnvironment(options.ApiKey, apiKeyVariable);
        OpenAIEndpoint endpoint = BearerEndpoint(options, type, baseUrl, key, [], MaxTokens);
        return Create(services, options, endpoint with { MissingCredentialMessage = null });
    }

    private static OpenAIEndpoint BearerEndpoint(
        ProviderOptions options, string providerName, string baseUrl, string? key, List<KeyValuePair<string, string>> headers, string defaultMaxTokensField)
    {
        string root = baseUrl.TrimEnd('/');
        OpenAIAuthScheme scheme = key is not null ? OpenAIAuthScheme.BearerKey
            : options.TokenProvider is not null ? OpenAIAuthScheme.TokenProvider
            : !string.IsNullOrEmpty(options.AccessToken) ? OpenAIAuthScheme.BearerKey
            : OpenAIAuthScheme.None;
        return new OpenAIEndpoint
        {
            ProviderName = providerName,
            ProviderUri = new Uri(root),
            ChatCompletionsUri = new Uri(root + "/chat/completions"),
            AuthScheme = scheme,
            Credential = key ?? NullIfEmpty(options.AccessToken),
            TokenProvider = options.TokenProvider,
            MissingCredentialMessage = scheme == OpenAIAuthScheme.None
                ? $"has no API key: set ApiKey or the {OpenAIApiKeyVariable} environment variable"
                : null,
            MaxTokensField = MaxTokensField(options, defaultMaxTokensField),
            SendStreamOptions = options.SendStreamOptions,
            Headers = ConfiguredHeaders(options, headers),
        };
    }

    private static IChatClient Create(IServiceProvider services, ProviderOptions options, OpenAIEndpoint endpoint) =>
        new OpenAIChatClient(
            ProviderHttp.CreateClient(services, options),
            options,
            endpoint,
            services.GetService<TimeProvider>() ?? TimeProvider.System);

    private static string MaxTokensField(ProviderOptions options, string typeDefault) =>
        options.MaxTokensParameter is { Length: > 0 } configured ? configured : typeDefault;

    private static KeyValuePair<string, string>[] ConfiguredHeaders(ProviderOptions options, List<KeyValuePair<string, string>> headers)
    {
        foreach (KeyValuePair<string, string> header in options.Headers)
        {
            headers.Add(header);
        }

        return [.. headers];
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
