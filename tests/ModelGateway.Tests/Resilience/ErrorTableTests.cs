using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Resilience;

/// <summary>Each row of BEHAVIOR.md's error table: retried or not, next deployment or not, which fallback, counted for cooldown or not.</summary>
public class ErrorTableTests
{
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "chat",
        "Resilience": { "MaxRetries": 1, "BaseDelay": "00:00:01", "MaxDelay": "00:00:01",
                        "Cooldown": { "FailureThreshold": 1, "SamplingWindow": "00:01:00", "Duration": "00:00:30" } },
        "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" }, "solo": { "Type": "fake" },
                       "fb": { "Type": "fake" }, "cw": { "Type": "fake" }, "cp": { "Type": "fake" } },
        "Models": {
          "chat": {
            "Routing": "Priority",
            "Deployments": [ { "Provider": "a", "Model": "m", "MaxInputTokens": 8000 }, { "Provider": "b", "Model": "m", "MaxInputTokens": 128000 } ]
          },
          "single": {
            "Deployments": [ { "Provider": "solo", "Model": "m" } ],
            "Fallbacks": [ "general" ], "ContextWindowFallbacks": [ "long" ], "ContentPolicyFallbacks": [ "lenient" ]
          },
          "general": { "Deployments": [ { "Provider": "fb", "Model": "m" } ] },
          "long": { "Deployments": [ { "Provider": "cw", "Model": "m" } ] },
          "lenient": { "Deployments": [ { "Provider": "cp", "Model": "m" } ] }
        }
      }
    }
    """;

    [Theory]
    [InlineData(ProviderErrorKind.RateLimited, true)]
    [InlineData(ProviderErrorKind.Timeout, true)]
    [InlineData(ProviderErrorKind.Unavailable, true)]
    [InlineData(ProviderErrorKind.Authentication, false)]
    [InlineData(ProviderErrorKind.NotFound, false)]
    [InlineData(ProviderErrorKind.ContextWindowExceeded, false)]
    [InlineData(ProviderErrorKind.ContentFiltered, false)]
    [InlineData(ProviderErrorKind.BadRequest, false)]
    [InlineData(ProviderErrorKind.InvalidResponse, true)]
    public async Task Kind_IsRetriedOnTheSameDeployment_OnlyWhenTheTableSaysSo(ProviderErrorKind kind, bool retried)
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"Fallbacks\": [ \"general\" ], \"ContextWindowFallbacks\": [ \"long\" ], \"ContentPolicyFallbacks\": [ \"lenient\" ]", string.Empty), time);
        gateway.Fakes["solo"].Fail(kind).Respond("second try");

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "single" });
        Exception? error = await Record.ExceptionAsync(() => time.DriveAsync(call, TimeSpan.FromMilliseconds(250)));

        Assert.Equal(retried ? 2 : 1, gateway.Fakes["solo"].Requests.Count);
        Assert.Equal(retried, error is null);
        if (retried)
        {
            Assert.Equal(TimeSpan.FromSeconds(1), (await call).GetGatewayInfo()!.Attempts[1].Delay);
        }
    }

    [Theory]
    [InlineData(ProviderErrorKind.RateLimited, true)]
    [InlineData(ProviderErrorKind.Timeout, true)]
    [InlineData(ProviderErrorKind.Unavailable, true)]
    [InlineData(ProviderErrorKind.Authentication, true)]
    [InlineData(ProviderErrorKind.NotFound, true)]
    [InlineData(ProviderErrorKind.ContextWindowExceeded, true)] // b has the larger MaxInputTokens
    [InlineData(ProviderErrorKind.ContentFiltered, false)]
    [InlineData(ProviderErrorKind.BadRequest, false)]
    [InlineData(ProviderErrorKind.InvalidResponse, true)]
    public async Task Kind_MovesToAnotherDeploymentOfTheGroup_OnlyWhenTheTableSaysSo(ProviderErrorKind kind, bool moves)
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(kind);

        await Record.ExceptionAsync(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Equal(moves ? 1 : 0, gateway.Fakes["b"].Requests.Count);
    }

    [Fact]
    public async Task ContextWindowExceeded_DoesNotMoveToADeploymentThatIsNotLarger()
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxInputTokens\": 128000", "\"MaxInputTokens\": 8000"));
        gateway.Fakes["a"].Fail(ProviderErrorKind.ContextWindowExceeded);

        await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Empty(gateway.Fakes["b"].Requests);
    }

    [Theory]
    [InlineData(ProviderErrorKind.RateLimited, "general")]
    [InlineData(ProviderErrorKind.Timeout, "general")]
    [InlineData(ProviderErrorKind.Unavailable, "general")]
    [InlineData(ProviderErrorKind.Authentication, "general")]
    [InlineData(ProviderErrorKind.NotFound, "general")]
    [InlineData(ProviderErrorKind.ContextWindowExceeded, "long")]
    [InlineData(ProviderErrorKind.ContentFiltered, "lenient")]
    [InlineData(ProviderErrorKind.BadRequest, null)]
    [InlineData(ProviderErrorKind.InvalidResponse, "general")]
    public async Task Kind_UsesTheFallbacksTheTableNames(ProviderErrorKind kind, string? fallback)
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxRetries\": 1", "\"MaxRetries\": 0"));
        gateway.Fakes["solo"].Fail(kind);

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "single" });

        if (fallback is null)
        {
            var error = await Assert.ThrowsAsync<ProviderException>(() => call);
            Assert.Equal(kind, error.Kind);
        }
        else
        {
            Assert.Equal(fallback, (await call).GetGatewayInfo()!.Model);
        }

        int fallbackCalls = gateway.Fakes["fb"].Requests.Count + gateway.Fakes["cw"].Requests.Count + gateway.Fakes["cp"].Requests.Count;
        Assert.Equal(fallback is null ? 0 : 1, fallbackCalls);
    }

    [Theory]
    [InlineData(ProviderErrorKind.RateLimited, true)]
    [InlineData(ProviderErrorKind.Timeout, true)]
    [InlineData(ProviderErrorKind.Unavailable, true)]
    [InlineData(ProviderErrorKind.Authentication, true)]
    [InlineData(ProviderErrorKind.NotFound, true)]
    [InlineData(ProviderErrorKind.ContextWindowExceeded, false)]
    [InlineData(ProviderErrorKind.ContentFiltered, false)]
    [InlineData(ProviderErrorKind.BadRequest, false)]
    [InlineData(ProviderErrorKind.InvalidResponse, true)]
    public async Task Kind_CountsTowardCooldown_OnlyWhenTheTableSaysSo(ProviderErrorKind kind, bool counted)
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxRetries\": 1", "\"MaxRetries\": 0"));
        gateway.Fakes["solo"].Fail(kind);

        await Record.ExceptionAsync(() => gateway.Client.GetResponseAsync("hi", new ChatOptions { ModelId = "single" }));

        DeploymentHealth health = gateway.Gateway.GetDeploymentHealth().Single(h => h.Provider == "solo");
        Assert.Equal(counted ? DeploymentState.CoolingDown : DeploymentState.Healthy, health.State);
        Assert.Equal(1, health.Failures);
    }

    [Fact]
    public async Task CallerCancellation_IsNotAnErrorAndIsNeverRetried()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Hang();
        using var cancellation = new CancellationTokenSource();

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi", cancellationToken: cancellation.Token);
        await Wait.UntilAsync(() => gateway.Fakes["a"].Requests.Count == 1, "the first deployment was called");
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(gateway.Fakes["b"].Requests);
        DeploymentHealth a = gateway.Gateway.GetDeploymentHealth().Single(h => h.Provider == "a");
        Assert.Equal((0L, 0L, DeploymentState.Healthy), (a.Failures, a.InFlight, a.State));
    }
}
