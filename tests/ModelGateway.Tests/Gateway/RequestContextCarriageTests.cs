using Microsoft.Extensions.AI;
using ModelGateway.Gateway;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Gateway;

/// <summary>How the request context travels with the options: seen by middleware (even one that copies the options), never by a provider.</summary>
public class RequestContextCarriageTests
{
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "chat",
        "Resilience": { "BaseDelay": "00:00:00", "MaxDelay": "00:00:00" },
        "Providers": { "a": { "Type": "raw" }, "b": { "Type": "raw" } },
        "Models": {
          "chat": { "Deployments": [ { "Provider": "a", "Model": "model-a" } ], "Fallbacks": [ "backup" ] },
          "backup": { "Deployments": [ { "Provider": "b", "Model": "model-b" } ] }
        }
      }
    }
    """;

    [Fact]
    public async Task MiddlewareThatClonesOptions_StillSeesTheContext_AndTheRouterRecordsOnIt()
    {
        var providers = new Dictionary<string, RawClient>();
        GatewayRequestContext? seen = null;
        using TestGateway gateway = CreateGateway(providers, b => b.UseMiddleware((inner, _) => new CloningClient(inner, options => seen = GatewayRequestContext.Get(options))));

        ChatResponse response = await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u-1").WithTags("t"));

        Assert.NotNull(seen);
        Assert.Equal(("u-1", "t"), (seen.User, seen.Tags![0]));
        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Single(info.Attempts);
        Assert.Single(seen.Attempts); // the router recorded on the context the middleware saw, not on a new one
        Assert.Equal(("chat", "a"), (info.Model, info.Provider!));
    }

    [Fact]
    public async Task Provider_OnFirstAttemptAndFallback_ReceivesPlainOptionsWithoutContextOrGatewayKeys()
    {
        var providers = new Dictionary<string, RawClient>();
        using TestGateway gateway = CreateGateway(providers, b => b.UseMiddleware((inner, _) => new CloningClient(inner, null)));
        providers["a"].Error = new ProviderException(ProviderErrorKind.Unavailable, "down");
        var options = new ChatOptions { Temperature = 0.5f, AdditionalProperties = new() { ["app.key"] = "v" } }.WithUser("u-1").WithCacheMode(CacheMode.Bypass);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi", options);

        Assert.Equal("backup", response.GetGatewayInfo()!.Model);
        Assert.Equal(3, providers["a"].Received.Count); // the first attempt and its two retries
        foreach ((string name, string model) in new[] { ("a", "model-a"), ("b", "model-b") })
        {
            Assert.All(providers[name].Received, received =>
            {
                Assert.Equal(typeof(ChatOptions), received.GetType());
                Assert.Null(GatewayRequestContext.Get(received));
                Assert.Equal(model, received.ModelId);
                Assert.Equal(0.5f, received.Temperature);
                Assert.Equal(["app.key"], received.AdditionalProperties!.Keys);
            });
        }

        Assert.Equal(4, providers["a"].Received.Concat(providers["b"].Received).Distinct().Count()); // each attempt has its own copy
        Assert.Equal(3, options.AdditionalProperties!.Count); // the caller's options are untouched
    }

    [Fact]
    public async Task Provider_WithOnlyGatewayKeysFromTheCaller_ReceivesNoAdditionalProperties()
    {
        var providers = new Dictionary<string, RawClient>();
        using TestGateway gateway = CreateGateway(providers, configure: null);

        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u-1"));

        ChatOptions received = Assert.Single(providers["a"].Received);
        Assert.Equal(typeof(ChatOptions), received.GetType());
        Assert.Null(received.AdditionalProperties);
    }

    [Fact]
    public async Task CallersOwnOptionsSubclass_KeepsItsType_MiddlewareSeesTheContext_ProviderSeesNoGatewayKey()
    {
        var providers = new Dictionary<string, RawClient>();
        GatewayRequestContext? seen = null;
        using TestGateway gateway = CreateGateway(providers, b => b.UseMiddleware((inner, _) => new CloningClient(inner, options => seen = GatewayRequestContext.Get(options))));

        await gateway.Client.GetResponseAsync("hi", new AppOptions { Marker = "m" }.WithUser("u-2"));

        Assert.Equal("u-2", seen?.User);
        var received = Assert.IsType<AppOptions>(Assert.Single(providers["a"].Received));
        Assert.Equal("m", received.Marker);
        Assert.Null(received.AdditionalProperties);
    }

    [Fact]
    public async Task MiddlewareThatBuildsNewOptions_LosesTheContext_AndTheRouterStillAnswers()
    {
        var providers = new Dictionary<string, RawClient>();
        using TestGateway gateway = CreateGateway(providers, b => b.UseMiddleware((inner, _) => new ReplacingClient(inner)));

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        ChatOptions received = Assert.Single(providers["a"].Received);
        Assert.Equal(typeof(ChatOptions), received.GetType());
        Assert.Equal("model-a", received.ModelId);
        Assert.Equal("ok from a", response.Text);
    }

    private static TestGateway CreateGateway(Dictionary<string, RawClient> providers, Action<IModelGatewayBuilder>? configure)
    {
        providers["a"] = new RawClient("a");
        providers["b"] = new RawClient("b");
        return TestGateway.Create(Config, configure: b =>
        {
            b.AddProviderType("raw", (_, options) => providers[options.Name]);
            configure?.Invoke(b);
        }, fakes: false);
    }

    private sealed class AppOptions : ChatOptions
    {
        public AppOptions()
        {
        }

        private AppOptions(AppOptions other)
            : base(other)
        {
            Marker = other.Marker;
        }

        public string? Marker { get; set; }

        public override ChatOptions Clone() => new AppOptions(this);
    }

    /// <summary>Keeps the very options instances it is called with (not copies).</summary>
    private sealed class RawClient(string name) : IChatClient
    {
        public List<ChatOptions> Received { get; } = [];

        public Exception? Error { get; set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Received.Add(options!);
            return Error is { } error ? Task.FromException<ChatResponse>(error) : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"ok from {name}")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>An application decorator that copies the options before passing them on, as many do.</summary>
    private sealed class CloningClient(IChatClient inner, Action<ChatOptions?>? onCall) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            ChatOptions? copy = options?.Clone();
            onCall?.Invoke(copy);
            return base.GetResponseAsync(messages, copy, cancellationToken);
        }
    }

    /// <summary>An application decorator that replaces the options with new ones carrying only the model.</summary>
    private sealed class ReplacingClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            base.GetResponseAsync(messages, new ChatOptions { ModelId = options?.ModelId }, cancellationToken);
    }
}
