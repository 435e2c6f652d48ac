namespace ModelGateway.Providers.OpenAI;

/// <summary>How a request proves who it is.</summary>
internal enum OpenAIAuthScheme
{
    /// <summary>No credential is sent (local servers).</summary>
    None,

    /// <summary><c>Authorization: Bearer {key}</c> with a fixed key.</summary>
    BearerKey,

    /// <summary>Azure's <c>api-key: {key}</c> header.</summary>
    ApiKeyHeader,

    /// <summary><c>Authorization: Bearer {token}</c> with a token from <see cref="ProviderOptions.TokenProvider"/> per call.</summary>
    TokenProvider,
}
