using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Providers;

namespace ModelGateway.Tests.Providers;

public sealed class ProviderChatClientTests
{
    [Theory]
    [InlineData("openai", "openai")]
    [InlineData("anthropic", "anthropic")]
    [InlineData("gemini", "gcp.gemini")]
    [InlineData("vertex-ai", "gcp.vertex_ai")]
    [InlineData("cohere", "cohere")]
    [InlineData("bedrock", "aws.bedrock")]
    [InlineData("fake", "fake")]
    public void GetService_EveryBuiltInType_AnswersWithItsMetadataAndItself(string type, string providerName)
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        using ServiceProvider provider = services.BuildServiceProvider();
        var options = new ProviderOptions
        {
            Name = "p", Type = type, ApiKey = "test-key", Project = "proj", Location = "us-central1", Region = "us-east-1",
            AccessToken = type == "vertex-ai" ? "token" : null,
        };

        using IChatClient client = new ProviderTypeRegistry().Create(provider, options);

        Assert.Equal(providerName, client.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.Same(client, client.GetService(client.GetType()));
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>(serviceKey: "other"));
        Assert.Null(client.GetService<string>());
        Assert.Throws<ArgumentNullException>(() => client.GetService(null!));
    }
}
