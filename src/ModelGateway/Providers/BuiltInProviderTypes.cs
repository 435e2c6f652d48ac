using ModelGateway.Providers.Anthropic;
using ModelGateway.Providers.Bedrock;
using ModelGateway.Providers.Cohere;
using ModelGateway.Providers.Fake;
using ModelGateway.Providers.Gemini;
using ModelGateway.Providers.OpenAI;

namespace ModelGateway.Providers;

/// <summary>The provider types that ship with the gateway. Each provider folder adds its types here.</summary>
internal static class BuiltInProviderTypes
{
    public const string Fake = "fake";

    public static void Register(ProviderTypeRegistry registry)
    {
        registry.Add(Fake, FakeProviderChatClient.Create);
        registry.Add(OpenAIProviderTypes.OpenAI, OpenAIProviderTypes.CreateOpenAI);
        registry.Add(OpenAIProviderTypes.AzureOpenAI, OpenAIProviderTypes.CreateAzureOpenAI);
        registry.Add(OpenAIProviderTypes.OpenAICompatible, OpenAIProviderTypes.CreateOpenAICompatible);
        foreach (OpenAICompatiblePreset preset in OpenAICompatiblePreset.All)
        {
            registry.Add(preset.Type, preset.Create);
        }
        registry.Add(AnthropicChatClient.TypeName, AnthropicChatClient.Create);
        registry.Add(GeminiChatClient.GeminiTypeName, GeminiChatClient.CreateGemini);
        registry.Add(GeminiChatClient.VertexTypeName, GeminiChatClient.CreateVertex);
        registry.Add(CohereChatClient.TypeName, CohereChatClient.Create);
        registry.Add("bedrock", BedrockChatClient.Create);
    }
}
