using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Routing;

public class ConditionalRoutingTests
{
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "chat",
        "Providers": { "main": { "Type": "fake" }, "cheap": { "Type": "fake" }, "long": { "Type": "fake" }, "vip": { "Type": "fake" } },
        "Models": {
          "chat": {
            "Deployments": [ { "Provider": "main", "Model": "m" } ],
            "Routes": [
              { "When": { "Tags": [ "free", "trial" ] }, "Model": "cheap-chat" },
              { "When": { "User": "u-vip" }, "Model": "vip-chat" },
              { "When": { "Team": "search", "Feature": "summarize" }, "Model": "cheap-chat" },
              { "When": { "MinInputTokens": 100 }, "Model": "long-context" }
            ]
          },
          "cheap-chat": { "Deployments": [ { "Provider": "cheap", "Model": "m" } ] },
          "vip-chat": { "Deployments": [ { "Provider": "vip", "Model": "m" } ] },
          "long-context": { "Deployments": [ { "Provider": "long", "Model": "m" } ] }
        }
      }
    }
    """;

    public static TheoryData<string, Func<ChatOptions, ChatOptions>, string> Cases => new()
    {
        { "hi", o => o, "chat" },
        { "hi", o => o.WithTags("trial"), "cheap-chat" },
        { "hi", o => o.WithTags("paid"), "chat" },
        { "hi", o => o.WithUser("u-vip"), "vip-chat" },
        { "hi", o => o.WithTeam("search"), "chat" },                        // every condition of a route must hold
        { "hi", o => o.WithTeam("search").WithFeature("summarize"), "cheap-chat" },
        { new string('x', 600), o => o, "long-context" },                    // about 150 tokens
        { new string('x', 600), o => o.WithTags("free"), "cheap-chat" },    // the first match wins
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Routes_SendTheRequestToTheFirstMatchingAlias(string prompt, Func<ChatOptions, ChatOptions> metadata, string expected)
    {
        using TestGateway gateway = TestGateway.Create(Config);

        ChatResponse response = await gateway.Client.GetResponseAsync(prompt, metadata(new ChatOptions()));

        Assert.Equal(expected, response.GetGatewayInfo()!.Model);
    }

    [Fact]
    public async Task ModelSelector_ChoosesAfterTheRoutes_AndNullKeepsTheirChoice()
    {
        var selector = new PlanSelector();
        using TestGateway gateway = TestGateway.Create(Config, configure: b => b.Services.AddSingleton<IModelSelector>(selector));

        ChatResponse premium = await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithUser("u-premium").WithTags("free"));
        ChatResponse other = await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithTags("free"));

        Assert.Equal("vip-chat", premium.GetGatewayInfo()!.Model);
        Assert.Equal("cheap-chat", other.GetGatewayInfo()!.Model);
        Assert.Equal(["cheap-chat", "cheap-chat"], selector.Seen);
        Assert.Single(gateway.Fakes["vip"].Requests);
    }

    [Fact]
    public async Task ModelSelector_UnknownAlias_ThrowsUnknownModelException()
    {
        using TestGateway gateway = TestGateway.Create(Config, configure: b => b.Services.AddSingleton<IModelSelector>(new FixedSelector("nope")));

        var error = await Assert.ThrowsAsync<UnknownModelException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Equal("nope", error.Model);
    }

    [Fact]
    public async Task PreCallCheck_SkipsADeploymentWhosePromptLimitIsTooSmall()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "small": { "Type": "fake" }, "big": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [
                { "Provider": "small", "Model": "m", "MaxInputTokens": 50 }, { "Provider": "big", "Model": "m", "MaxInputTokens": 1000 } ] } } } }
            """);

        ChatResponse longPrompt = await gateway.Client.GetResponseAsync(new string('x', 800));
        ChatResponse shortPrompt = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal(["big"], longPrompt.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        Assert.Equal(["small"], shortPrompt.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
    }

    [Fact]
    public async Task PreCallCheck_PromptTooLargeForTheWholeGroup_GoesToContextWindowFallbacksWithoutCalling()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "small": { "Type": "fake" }, "long": { "Type": "fake" } },
              "Models": {
                "chat": { "Deployments": [ { "Provider": "small", "Model": "m", "MaxInputTokens": 50 } ], "ContextWindowFallbacks": [ "long-context" ] },
                "long-context": { "Deployments": [ { "Provider": "long", "Model": "m" } ] } } } }
            """);

        ChatResponse response = await gateway.Client.GetResponseAsync(new string('x', 800));

        Assert.Equal(["long-context"], response.GetGatewayInfo()!.Attempts.Select(a => a.Model));
        Assert.Empty(gateway.Fakes["small"].Requests);
    }

    [Fact]
    public async Task PreCallCheck_SkipsADeploymentWhoseRpmIsSpentUntilTheNextMinute()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m", "Rpm": 2 }, { "Provider": "b", "Model": "m" } ] } } } }
            """, time);

        var providers = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            providers.Add((await gateway.Client.GetResponseAsync("hi")).GetGatewayInfo()!.Provider!);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        providers.Add((await gateway.Client.GetResponseAsync("hi")).GetGatewayInfo()!.Provider!);

        Assert.Equal(["a", "a", "b", "a"], providers);
    }

    [Fact]
    public async Task PreCallCheck_SkipsADeploymentWhoseTpmWouldBeExceeded()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m", "Tpm": 300 }, { "Provider": "b", "Model": "m" } ] } } } }
            """, new ManualTimeProvider());
        string prompt = new('x', 400); // about 104 tokens

        var providers = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            providers.Add((await gateway.Client.GetResponseAsync(prompt)).GetGatewayInfo()!.Provider!);
        }

        Assert.Equal(["a", "a", "b"], providers);
    }

    private sealed class PlanSelector : IModelSelector
    {
        public List<string> Seen { get; } = [];

        public string? SelectModel(ModelSelectionContext context)
        {
            lock (Seen)
            {
                Seen.Add(context.Model);
            }

            return context.User == "u-premium" ? "vip-chat" : null;
        }
    }

    private sealed class FixedSelector(string model) : IModelSelector
    {
        public string? SelectModel(ModelSelectionContext context) => model;
    }
}
