using Microsoft.Extensions.AI;

namespace ModelGateway.Providers.OpenAI;

/// <summary>
/// A ready-made OpenAI-compatible provider type: only the default base URL and the API-key environment variable differ
/// from <c>openai-compatible</c>.
/// </summary>
internal sealed class OpenAICompatiblePreset
{
    private OpenAICompatiblePreset(string type, string baseUrl, string? apiKeyVariable)
    {
        Type = type;
        BaseUrl = baseUrl;
        ApiKeyVariable = apiKeyVariable;
    }

    /// <summary>Gets every preset, from each vendor's documented OpenAI-compatible base URL.</summary>
    public static IReadOnlyList<OpenAICompatiblePreset> All { get; } =
    [
        new("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY"),
        new("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY"),
        new("deepseek", "https://api.deepseek.com", "DEEPSEEK_API_KEY"),
        new("together", "https://api.together.ai/v1", "TOGETHER_API_KEY"),
        new("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"),
        new("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
        new("xai", "https://api.x.ai/v1", "XAI_API_KEY"),
        new("perplexity", "https://api.perplexity.ai", "PERPLEXITY_API_KEY"),
        new("ollama", "http://localhost:11434/v1", "OLLAMA_API_KEY"),
        new("vllm", "http://localhost:8000/v1", "VLLM_API_KEY"),
        new("lmstudio", "http://localhost:1234/v1", null),
        new("huggingface", "https://router.huggingface.co/v1", "HF_TOKEN"),
    ];

    /// <summary>Gets the provider type name used in configuration.</summary>
    public string Type { get; }

    /// <summary>Gets the base URL used when the provider sets no <see cref="ProviderOptions.BaseUrl"/>.</summary>
    public string BaseUrl { get; }

    /// <summary>Gets the environment variable read when the provider sets no <see cref="ProviderOptions.ApiKey"/>.</summary>
    public string? ApiKeyVariable { get; }

    /// <summary>The provider type factory.</summary>
    public IChatClient Create(IServiceProvider services, ProviderOptions options) =>
        OpenAIProviderTypes.CreateCompatible(services, options, Type, BaseUrl, ApiKeyVariable);
}
