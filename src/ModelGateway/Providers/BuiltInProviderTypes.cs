using ModelGateway.Providers.Anthropic;
using ModelGateway.Providers.Cohere;
using ModelGateway.Providers.Fake;
using ModelGateway.Providers.Gemini;

namespace ModelGateway.Providers;

/// <summary>The provider types that ship with the gateway. Each provider folder adds its types here.</summary>
internal static class BuiltInProviderTypes
{
    public const string Fake = "fake";

    public static void Register(ProviderTypeRegistry registry)
    {
        registry.Add(Fake, FakeProviderChatClient.Create);
        registry.Add(AnthropicChatClient.TypeName, AnthropicChatClient.Create);
        registry.Add(GeminiChatClient.GeminiTypeName, GeminiChatClient.CreateGemini);
        registry.Add(GeminiChatClient.VertexTypeName, GeminiChatClient.CreateVertex);
        registry.Add(CohereChatClient.TypeName, CohereChatClient.Create);
    }
}
