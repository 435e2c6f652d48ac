using ModelGateway.Providers.Bedrock;
using ModelGateway.Providers.Fake;

namespace ModelGateway.Providers;

/// <summary>The provider types that ship with the gateway. Each provider folder adds its types here.</summary>
internal static class BuiltInProviderTypes
{
    public const string Fake = "fake";

    public static void Register(ProviderTypeRegistry registry)
    {
        registry.Add(Fake, FakeProviderChatClient.Create);
        registry.Add("bedrock", BedrockChatClient.Create);
    }
}
