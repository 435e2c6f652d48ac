using Microsoft.Extensions.AI;
using ModelGateway.Resilience;
using ModelGateway.Tests.TestUtilities;
using Polly.Timeout;

namespace ModelGateway.Tests.Resilience;

public class AttemptTimeoutsTests
{
    [Fact]
    public void Start_OnTheGatewayClock_CancelsWhenTheLimitPasses()
    {
        var time = new ManualTimeProvider();
        var timeouts = new AttemptTimeouts(time);

        AttemptDeadline deadline = timeouts.Start(TimeSpan.FromSeconds(5), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4.9));
        bool early = deadline.Token.IsCancellationRequested;
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.False(early);
        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.IsCancelled);
        deadline.Release();
    }

    [Fact]
    public void Start_AfterACancelledDeadline_HandsOutAFreshToken()
    {
        var time = new ManualTimeProvider();
        var timeouts = new AttemptTimeouts(time);
        AttemptDeadline first = timeouts.Start(TimeSpan.FromSeconds(1), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        first.Release();

        AttemptDeadline second = timeouts.Start(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(second.Token.IsCancellationRequested);
        Assert.Equal(1, time.PendingTimers);
        second.Release();
        Assert.Equal(0, time.PendingTimers);
    }

    [Fact]
    public void Start_CallerCancels_CancelsTheAttemptToken()
    {
        var timeouts = new AttemptTimeouts(new ManualTimeProvider());
        using var caller = new CancellationTokenSource();
        AttemptDeadline deadline = timeouts.Start(TimeSpan.FromSeconds(5), caller.Token);

        caller.Cancel();

        Assert.True(deadline.Token.IsCancellationRequested);
        deadline.Release();
    }

    [Fact]
    public void Start_CallerAlreadyCancelled_TheAttemptTokenIsCancelled()
    {
        var timeouts = new AttemptTimeouts(new ManualTimeProvider());

        AttemptDeadline deadline = timeouts.Start(TimeSpan.FromSeconds(5), new CancellationToken(canceled: true));

        Assert.True(deadline.Token.IsCancellationRequested);
        deadline.Release();
    }

    [Fact]
    public void Release_OnTheSystemClock_ReusesTheSource_AndUnlinksTheEarlierCaller()
    {
        var timeouts = new AttemptTimeouts(TimeProvider.System);
        using var firstCaller = new CancellationTokenSource();
        AttemptDeadline first = timeouts.Start(TimeSpan.FromMinutes(5), firstCaller.Token);
        first.Release();

        AttemptDeadline second = timeouts.Start(TimeSpan.FromMinutes(5), CancellationToken.None);
        firstCaller.Cancel();

        Assert.Equal(first.Token, second.Token); // the same source, reset
        Assert.False(second.Token.IsCancellationRequested);
        second.Release();
    }

    [Fact]
    public void Start_NoPositiveLimit_UsesTheCallersTokenWithoutATimer()
    {
        var time = new ManualTimeProvider();
        var timeouts = new AttemptTimeouts(time);
        using var caller = new CancellationTokenSource();

        AttemptDeadline deadline = timeouts.Start(TimeSpan.Zero, caller.Token);

        Assert.Equal(caller.Token, deadline.Token);
        Assert.Equal(0, time.PendingTimers);
        Assert.False(deadline.IsCancelled);
        deadline.Release();
    }

    [Fact]
    public async Task Router_AfterAnAttemptTimedOut_NextRequestRunsUnderAFreshToken_AndTheTimeoutKeepsItsInnerException()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "MaxRetries": 0, "AttemptTimeout": "00:00:05" },
              "Providers": { "a": { "Type": "fake" } }, "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """, time);
        gateway.Fakes["a"].Hang();
        gateway.Fakes["a"].Respond("second");

        Task<ChatResponse> first = gateway.Client.GetResponseAsync("hi");
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<ProviderException>(() => first);
        ChatResponse second = await gateway.Client.GetResponseAsync("again");

        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.Contains("AttemptTimeout (00:00:05)", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutRejectedException>(Assert.IsType<ProviderException>(error.InnerException).InnerException);
        Assert.Equal("second", second.Text);
        Assert.False(gateway.Fakes["a"].Requests[1].CancellationToken.IsCancellationRequested);
        Assert.Equal(0, time.PendingTimers); // the finished attempt's timer is stopped
    }
}
