using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Testing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Gateway;

public class GatewayEntryTests
{
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "primary-chat",
        "Providers": { "openai": { "Type": "fake" }, "anthropic": { "Type": "fake" } },
        "Models": {
          "primary-chat": {
            "Deployments": [ { "Provider": "openai", "Model": "gpt-4o-mini" } ],
            "Defaults": { "Temperature": 0.3, "MaxOutputTokens": 1024, "SystemPrompt": "Be brief." }
          },
          "claude": { "Deployments": [ { "Provider": "anthropic", "Model": "claude-sonnet-4" } ] }
        }
      }
    }
    """;

    [Fact]
    public async Task GetResponseAsync_NullModelId_UsesDefaultModel()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["openai"].Respond("hello");

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal("hello", response.Text);
        Assert.Equal("gpt-4o-mini", Assert.Single(gateway.Fakes["openai"].Requests).Options!.ModelId);
    }

    [Fact]
    public async Task GetResponseAsync_AliasInModelId_RoutesToThatAlias()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "CLAUDE" });

        Assert.Equal("claude", response.GetGatewayInfo()!.Model);
        Assert.Equal("claude-sonnet-4", Assert.Single(gateway.Fakes["anthropic"].Requests).Options!.ModelId);
        Assert.Empty(gateway.Fakes["openai"].Requests);
    }

    [Fact]
    public async Task GetResponseAsync_DirectProviderModel_CallsThatProvider()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "anthropic/claude-3-haiku" });

        Assert.Equal("claude-3-haiku", Assert.Single(gateway.Fakes["anthropic"].Requests).Options!.ModelId);
        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Equal(("anthropic/claude-3-haiku", "anthropic", "claude-3-haiku"), (info.Model, info.Provider!, info.ProviderModel!));
    }

    [Fact]
    public async Task GetResponseAsync_DirectProviderModelDisallowed_ThrowsUnknownModel()
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"DefaultModel\"", "\"AllowDirectProviderModels\": false, \"DefaultModel\""));

        var error = await Assert.ThrowsAsync<UnknownModelException>(() => gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "anthropic/claude-3-haiku" }));

        Assert.Equal("anthropic/claude-3-haiku", error.Model);
        Assert.Empty(gateway.Fakes["anthropic"].Requests);
    }

    [Fact]
    public async Task GetResponseAsync_UnknownAlias_ThrowsListingKnownAliases()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        var error = await Assert.ThrowsAsync<UnknownModelException>(() => gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "gpt-5" }));

        Assert.Equal(["claude", "primary-chat"], error.KnownModels.Order());
        Assert.Contains("Unknown model 'gpt-5'", error.Message, StringComparison.Ordinal);
        Assert.Contains("primary-chat", error.Message, StringComparison.Ordinal);
        Assert.Contains("claude", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_UnknownAlias_FailsTheReturnedTaskInsteadOfThrowing()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        Task<ChatResponse> unpinned = gateway.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "gpt-5" });

        Assert.True(unpinned.IsFaulted);
        await Assert.ThrowsAsync<UnknownModelException>(() => unpinned);
    }

    [Fact]
    public async Task GetResponseAsync_ProviderAnswersLater_StillReturnsGatewayInfo()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["openai"].Latency = TimeSpan.FromSeconds(1);

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");
        Assert.False(call.IsCompleted);
        ChatResponse response = await time.DriveAsync(call, TimeSpan.FromMilliseconds(250));

        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Equal("primary-chat", info.Model);
        Assert.Single(info.Attempts);
        Assert.True(info.Latency >= TimeSpan.FromSeconds(1), $"latency {info.Latency}");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UnknownAlias_Throws()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        await Assert.ThrowsAsync<UnknownModelException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "nope/" }))
            {
            }
        });
    }

    [Fact]
    public async Task GetResponseAsync_AliasDefaults_AppliedWithoutTouchingCallerOptions()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        var callerOptions = new ChatOptions { MaxOutputTokens = 50 }.WithUser("u-1");

        await gateway.Client.GetResponseAsync("hi", callerOptions);

        ChatOptions sent = Assert.Single(gateway.Fakes["openai"].Requests).Options!;
        Assert.Equal(0.3f, sent.Temperature);
        Assert.Equal(50, sent.MaxOutputTokens); // the caller's value wins over the alias default
        Assert.Equal("Be brief.", sent.Instructions);
        Assert.Null(callerOptions.Temperature);
        Assert.Null(callerOptions.Instructions);
        Assert.Null(callerOptions.ModelId);
        Assert.Equal("u-1", callerOptions.AdditionalProperties![GatewayPropertyNames.User]);
        Assert.Single(callerOptions.AdditionalProperties);
    }

    [Fact]
    public async Task GetResponseAsync_GatewayMetadata_NeverReachesTheProvider()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        ChatOptions options = new ChatOptions { AdditionalProperties = new() { ["reasoning_effort"] = "low" } }
            .WithUser("u-1").WithTeam("search").WithFeature("web_chat").WithTags("free", "beta").WithCacheMode(CacheMode.Bypass);

        await gateway.Client.GetResponseAsync("hi", options);
        await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi", options))
        {
        }

        Assert.Equal(2, gateway.Fakes["openai"].Requests.Count);
        foreach (FakeChatRequest request in gateway.Fakes["openai"].Requests)
        {
            AdditionalPropertiesDictionary sent = request.Options!.AdditionalProperties!;
            Assert.Equal("low", Assert.Single(sent).Value); // provider-meant properties pass through
            Assert.DoesNotContain(sent.Keys, k => k.StartsWith(GatewayPropertyNames.Prefix, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task GetResponseAsync_OnlyGatewayMetadata_SendsNoAdditionalProperties()
    {
        using TestGateway gateway = TestGateway.Create(Config);

        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u-1"));

        Assert.Null(Assert.Single(gateway.Fakes["openai"].Requests).Options!.AdditionalProperties);
    }

    [Fact]
    public async Task GetResponseAsync_MetadataOfTheWrongType_ThrowsNamingTheKey()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        var options = new ChatOptions { AdditionalProperties = new() { [GatewayPropertyNames.User] = 42 } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => gateway.Client.GetResponseAsync("hi", options));

        Assert.Contains(GatewayPropertyNames.User, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_PlainCall_ReturnsGatewayInfo()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["openai"].Latency = TimeSpan.FromMilliseconds(800);

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromMilliseconds(800));
        ChatResponse response = await call;

        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Equal("primary-chat", info.Model);
        Assert.Equal("openai", info.Provider);
        Assert.Equal("gpt-4o-mini", info.ProviderModel);
        GatewayAttempt attempt = Assert.Single(info.Attempts);
        Assert.Null(attempt.ErrorKind);
        Assert.Equal(TimeSpan.FromMilliseconds(800), attempt.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(800), info.Latency);
        Assert.False(info.CacheHit);
        Assert.False(info.Degraded);
        Assert.Null(info.CostUsd);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FinalUpdate_CarriesGatewayInfo()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["openai"].RespondStreaming("Hel", "lo", "!");

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.Equal("Hello!", string.Concat(updates.Select(u => u.Text)));
        Assert.NotNull(updates[^1].GetGatewayInfo());
        Assert.All(updates.SkipLast(1), u => Assert.Null(u.GetGatewayInfo()));
        ChatResponse combined = updates.ToChatResponse();
        GatewayResponseInfo info = combined.GetGatewayInfo()!;
        Assert.Equal(("primary-chat", "openai"), (info.Model, info.Provider!));
        Assert.Equal("Hello!", combined.Text);
    }

    [Fact]
    public void GetGatewayInfo_OnLastMessage_IsFound()
    {
        var info = new GatewayResponseInfo { Model = "m" };
        var response = new ChatResponse([new ChatMessage(ChatRole.Assistant, "a"), new ChatMessage(ChatRole.Assistant, "b") { AdditionalProperties = new() { [GatewayPropertyNames.ResponseInfo] = info } }]);

        Assert.Same(info, response.GetGatewayInfo());
        Assert.Null(new ChatResponse().GetGatewayInfo());
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ReachesProviderAndIsNotRetried()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat",
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" } ] } } } }
            """, time);
        gateway.Fakes["a"].Hang();
        using var cts = new CancellationTokenSource();

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi", cancellationToken: cts.Token);
        await Wait.UntilAsync(() => gateway.Fakes["a"].Requests.Count == 1, "the provider received the request");
        Assert.True(gateway.Fakes["a"].Requests[0].CancellationToken.CanBeCanceled);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(gateway.Fakes["a"].Requests[0].CancellationToken.IsCancellationRequested);
        Assert.Empty(gateway.Fakes["b"].Requests);
        Assert.Equal(0, gateway.Gateway.GetDeploymentHealth().Single(h => h.Provider == "a").InFlight);
        Assert.Equal(0, gateway.Gateway.GetDeploymentHealth().Single(h => h.Provider == "a").Failures);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancels_IsNotRetried()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat",
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" } ] } } } }
            """, time);
        gateway.Fakes["a"].Hang();
        using var cts = new CancellationTokenSource();

        Task consume = Task.Run(async () =>
        {
            await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
            }
        });
        await Wait.UntilAsync(() => gateway.Fakes["a"].Requests.Count == 1, "the provider received the request");
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consume);
        Assert.Empty(gateway.Fakes["b"].Requests);
    }
}
