using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Resilience;

public class CooldownTests
{
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "chat",
        "Resilience": { "MaxRetries": 0, "Cooldown": { "FailureThreshold": 2, "SamplingWindow": "00:01:00", "Duration": "00:00:30" } },
        "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
        "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" } ] } }
      }
    }
    """;

    [Fact]
    public async Task Cooldown_OpensAtTheThreshold_SkipsTheDeployment_HalfOpens_AndClosesOnASuccessfulTrial()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Unavailable);

        await gateway.Client.GetResponseAsync("1");
        Assert.Equal((DeploymentState.Healthy, 1), (Health(gateway, "a").State, Health(gateway, "a").RecentFailures));

        await gateway.Client.GetResponseAsync("2");
        DeploymentHealth opened = Health(gateway, "a");
        Assert.Equal(DeploymentState.CoolingDown, opened.State);
        Assert.Equal(time.GetUtcNow().AddSeconds(30), opened.CooldownUntil);

        ChatResponse skipped = await gateway.Client.GetResponseAsync("3");
        Assert.Equal(["b"], skipped.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(DeploymentState.HalfOpen, Health(gateway, "a").State);

        ChatResponse trial = await gateway.Client.GetResponseAsync("4");
        Assert.Equal(["a"], trial.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        Assert.Equal((DeploymentState.Healthy, 0, (DateTimeOffset?)null), (Health(gateway, "a").State, Health(gateway, "a").RecentFailures, Health(gateway, "a").CooldownUntil));
    }

    [Fact]
    public async Task HalfOpenTrialFails_CoolsDownAgainForAnotherDuration()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Timeout);
        await gateway.Client.GetResponseAsync("1");
        await gateway.Client.GetResponseAsync("2");
        time.Advance(TimeSpan.FromSeconds(31));

        ChatResponse response = await gateway.Client.GetResponseAsync("trial");

        Assert.Equal(["a", "b"], response.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        Assert.Equal(DeploymentState.CoolingDown, Health(gateway, "a").State);
        Assert.Equal(time.GetUtcNow().AddSeconds(30), Health(gateway, "a").CooldownUntil);
    }

    [Fact]
    public async Task HalfOpen_LetsExactlyOneTrialThrough()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Unavailable).Hang();
        await gateway.Client.GetResponseAsync("1");
        await gateway.Client.GetResponseAsync("2");
        time.Advance(TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource();

        Task<ChatResponse> trial = gateway.Client.GetResponseAsync("trial", cancellationToken: cancellation.Token);
        await Wait.UntilAsync(() => gateway.Fakes["a"].Requests.Count == 3, "the trial reached a");
        ChatResponse other = await gateway.Client.GetResponseAsync("meanwhile");

        Assert.Equal(["b"], other.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trial);

        // The abandoned trial freed the slot: the next request is the trial.
        await gateway.Client.GetResponseAsync("next");
        Assert.Equal(4, gateway.Fakes["a"].Requests.Count);
        Assert.Equal(DeploymentState.Healthy, Health(gateway, "a").State);
    }

    [Fact]
    public async Task FailuresOutsideTheSamplingWindow_DoNotStartACooldown()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Unavailable);

        await gateway.Client.GetResponseAsync("1");
        time.Advance(TimeSpan.FromSeconds(61));
        await gateway.Client.GetResponseAsync("2");

        Assert.Equal((DeploymentState.Healthy, 1), (Health(gateway, "a").State, Health(gateway, "a").RecentFailures));
    }

    [Fact]
    public async Task EveryDeploymentCoolingDown_TheLeastRecentlyFailedIsStillTried()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"FailureThreshold\": 2", "\"FailureThreshold\": 1"), time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);
        gateway.Fakes["b"].Respond("b").Fail(ProviderErrorKind.Unavailable);
        await gateway.Client.GetResponseAsync("1");                                  // a fails at t0, b answers
        time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("2")); // a skipped, b fails at t0+5
        Assert.All(gateway.Gateway.GetDeploymentHealth(), h => Assert.Equal(DeploymentState.CoolingDown, h.State));
        time.Advance(TimeSpan.FromSeconds(5));
        gateway.Fakes["a"].Respond("still answered");

        ChatResponse response = await gateway.Client.GetResponseAsync("3");

        Assert.Equal("still answered", response.Text);
        Assert.Equal(["a"], response.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        Assert.Equal(2, gateway.Fakes["b"].Requests.Count);
    }

    private static DeploymentHealth Health(TestGateway gateway, string provider) =>
        gateway.Gateway.GetDeploymentHealth().Single(h => h.Provider == provider);
}
