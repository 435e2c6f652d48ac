using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Testing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.DependencyInjection;

public class ServiceRegistrationTests
{
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "primary-chat",
        "Providers": { "openai": { "Type": "fake" }, "anthropic": { "Type": "fake" } },
        "Models": {
          "primary-chat": { "Deployments": [ { "Provider": "openai", "Model": "gpt-4o-mini" } ] },
          "claude": { "Deployments": [ { "Provider": "anthropic", "Model": "claude-sonnet-4" } ] }
        }
      }
    }
    """;

    [Fact]
    public void Resolve_UnkeyedChatClient_IsTheGatewaySingleton()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        IChatClient first = gateway.Services.GetRequiredService<IChatClient>();

        Assert.Same(first, gateway.Services.GetRequiredService<IChatClient>());
        Assert.Equal("primary-chat", first.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Same(gateway.Gateway, first.GetService<IModelGateway>());
    }

    [Fact]
    public async Task Resolve_KeyedChatClient_IsPinnedToTheAlias()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        IChatClient claude = gateway.Services.GetRequiredKeyedService<IChatClient>("claude");

        ChatResponse response = await claude.GetResponseAsync("hi", new ChatOptions { ModelId = "primary-chat" });

        Assert.Equal("claude", response.GetGatewayInfo()!.Model);
        Assert.Single(gateway.Fakes["anthropic"].Requests);
        Assert.Empty(gateway.Fakes["openai"].Requests);
        Assert.Same(claude, gateway.Gateway.GetChatClient("claude"));
    }

    [Fact]
    public void Resolve_KeyedChatClientForUnknownAlias_Throws()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        Assert.Throws<UnknownModelException>(() => gateway.Services.GetRequiredKeyedService<IChatClient>("gpt-5"));
    }

    [Fact]
    public void ModelGateway_ListsAliasesAndDeploymentHealth()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        Assert.Equal(["claude", "primary-chat"], gateway.Gateway.Models.Order());
        Assert.Equal(["anthropic", "openai"], gateway.Gateway.GetDeploymentHealth().Select(h => h.Provider).Order());
    }

    [Fact]
    public async Task AddProviderType_CustomType_IsCreatedOnceAndCalled()
    {
        int created = 0;
        var custom = new FakeChatClient().Respond("from custom");
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "mine": { "Type": "in-house", "ApiKey": "k" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "mine", "Model": "m1" } ] } } } }
            """, configure: b => b.AddProviderType("in-house", (_, options) =>
            {
                created++;
                Assert.Equal(("mine", "k"), (options.Name, options.ApiKey!));
                return custom;
            }), fakes: false);

        ChatResponse first = await gateway.Client.GetResponseAsync("hi");
        await gateway.Client.GetResponseAsync("again");

        Assert.Equal("from custom", first.Text);
        Assert.Equal(1, created);
        Assert.Equal(2, custom.Requests.Count);
    }

    [Fact]
    public async Task UseMiddleware_RunsOncePerRequestOutsideTheRouterInOrder()
    {
        var seen = new List<string>();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "BaseDelay": "00:00:00", "MaxDelay": "00:00:00" },
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" } ] } } } }
            """, configure: b => b
                .UseMiddleware((inner, _) => new RecordingClient(inner, "outer", seen))
                .UseMiddleware((inner, _) => new RecordingClient(inner, "inner", seen)));
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u-7"));

        Assert.Equal(["outer", "inner"], seen); // once each, even though the router made two attempts
        Assert.Equal(2, response.GetGatewayInfo()!.Attempts.Count);
    }

    [Fact]
    public void UseMiddleware_ReturningNull_FailsAtStartWithAClearError()
    {
        using TestGateway gateway = TestGateway.Create(Config, configure: b => b.UseMiddleware((_, _) => null!));

        var error = Assert.Throws<InvalidOperationException>(() => gateway.Services.GetRequiredService<IChatClient>());

        Assert.Contains("UseMiddleware", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddModelGateway_WithoutRegisteredConfiguration_ExplainsWhatToDo()
    {
        var services = new ServiceCollection();
        services.AddModelGateway();
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("GetSection(\"ModelGateway\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddModelGateway_ArgumentsAreChecked()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>(() => services.AddModelGateway((Microsoft.Extensions.Configuration.IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddModelGateway((Action<ModelGatewayOptions>)null!));
        Assert.Throws<ArgumentException>(() => services.AddModelGateway(_ => { }).AddProviderType(" ", (_, _) => null!));
    }

    [Fact]
    public async Task Dispose_DisposesProviderClients()
    {
        var custom = new DisposeTrackingClient();
        TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "mine": { "Type": "tracked" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "mine", "Model": "m1" } ] } } } }
            """, configure: b => b.AddProviderType("tracked", (_, _) => custom), fakes: false);
        await gateway.Client.GetResponseAsync("hi");

        gateway.Dispose();

        Assert.True(custom.Disposed);
    }

    private sealed class RecordingClient(IChatClient inner, string name, List<string> seen) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Assert.Equal("u-7", options is null ? null : GatewayRequestContextUser(options));
            seen.Add(name);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        private static string? GatewayRequestContextUser(ChatOptions options) => ModelGateway.Gateway.GatewayRequestContext.Get(options)?.User;
    }

    private sealed class DisposeTrackingClient : IChatClient
    {
        public bool Disposed { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() => Disposed = true;
    }
}
