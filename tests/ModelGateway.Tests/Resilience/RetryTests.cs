using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.OpenAI.OpenAITestHost;

namespace ModelGateway.Tests.Resilience;

public class RetryTests
{
    [Theory]
    [InlineData("seconds")]
    [InlineData("http-date")]
    public async Task RetryAfterHeader_IsWaitedOnTheGatewayClockBeforeTheRetry(string form)
    {
        var time = new ManualTimeProvider();
        int calls = 0;
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                string value = form == "seconds" ? "8" : time.GetUtcNow().AddSeconds(8).ToString("r", CultureInfo.InvariantCulture);
                await Json("""{"error":{"message":"slow down","type":"rate_limit"}}""", 429, r => r.Headers["Retry-After"] = value)(context);
                return;
            }

            await Json(Completion())(context);
        });
        using TestGateway gateway = TestGateway.Create(OpenAIConfig(server.BaseAddress, maxRetryAfter: "00:00:30"), time, fakes: false);

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");

        // The attempt's own timeout timer is gone once the failure is recorded; the one timer left is the wait.
        await Wait.UntilAsync(() => gateway.Gateway.GetDeploymentHealth()[0].Failures == 1 && time.PendingTimers == 1, "the retry waits");
        time.Advance(TimeSpan.FromSeconds(7));
        await Task.Yield();
        Assert.False(call.IsCompleted);
        Assert.Equal(1, Volatile.Read(ref calls));
        time.Advance(TimeSpan.FromSeconds(1));
        ChatResponse response = await call;

        IReadOnlyList<GatewayAttempt> attempts = response.GetGatewayInfo()!.Attempts;
        Assert.Equal(ProviderErrorKind.RateLimited, attempts[0].ErrorKind);
        Assert.Equal(TimeSpan.FromSeconds(8), attempts[1].Delay);
        Assert.Equal("Hello there", response.Text);
    }

    [Fact]
    public async Task RetryAfterHeader_LongerThanMaxRetryAfter_FailsAtOnceInsteadOfWaiting()
    {
        int calls = 0;
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref calls);
            await Json("""{"error":{"message":"quota","type":"rate_limit"}}""", 429, r => r.Headers["Retry-After"] = "120")(context);
        });
        using TestGateway gateway = TestGateway.Create(OpenAIConfig(server.BaseAddress, maxRetryAfter: "00:00:30"), new ManualTimeProvider(), fakes: false);

        var error = await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Equal((ProviderErrorKind.RateLimited, TimeSpan.FromMinutes(2)), (error.Kind, error.RetryAfter!.Value));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxRetryAfter_MovesToAnotherDeploymentWithoutWaiting()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "MaxRetries": 3, "MaxRetryAfter": "00:00:10", "BaseDelay": "00:00:01", "MaxDelay": "00:00:01" },
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" } ] } } } }
            """, time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.RateLimited, retryAfter: TimeSpan.FromMinutes(1));
        gateway.Fakes["b"].Fail(ProviderErrorKind.Unavailable).Respond("b again");

        ChatResponse response = await time.DriveAsync(gateway.Client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(250));

        Assert.Equal(["a", "b", "b"], response.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        Assert.Single(gateway.Fakes["a"].Requests); // never retried: its Retry-After is past MaxRetryAfter
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(40)]
    public void Backoff_StaysBetweenBaseDelayAndMaxDelay_AndGrowsExponentially(int retry)
    {
        var options = new ResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(10) };
        var random = new Random(42);
        double expected = Math.Min(500 * Math.Pow(2, retry - 1), 10_000);

        for (int i = 0; i < 1000; i++)
        {
            TimeSpan delay = ModelGateway.Resilience.Backoff.Delay(retry, options, random.NextDouble());

            Assert.InRange(delay, options.BaseDelay, options.MaxDelay);
            Assert.InRange(delay.TotalMilliseconds, Math.Max(500, expected * 0.75) - 0.001, Math.Min(10_000, expected * 1.25) + 0.001);
        }
    }

    [Fact]
    public void Backoff_IsJittered()
    {
        var options = new ResilienceOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) };

        TimeSpan low = ModelGateway.Resilience.Backoff.Delay(3, options, 0.0);
        TimeSpan high = ModelGateway.Resilience.Backoff.Delay(3, options, 1.0);

        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)), (low, high));
    }

    [Fact]
    public async Task Attempts_NeverExceedOnePlusMaxRetries_InAGroupOfOne()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "MaxRetries": 2, "BaseDelay": "00:00:01", "MaxDelay": "00:00:02" },
              "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """, time);
        for (int i = 0; i < 10; i++)
        {
            gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);
        }

        var error = await Assert.ThrowsAsync<ModelGatewayException>(() => time.DriveAsync(gateway.Client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(250)));

        Assert.Equal(3, error.Attempts.Count);
        Assert.Equal(3, gateway.Fakes["a"].Requests.Count);
        Assert.All(error.Attempts.Skip(1), a => Assert.InRange(a.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
    }

    private static string OpenAIConfig(Uri server, string maxRetryAfter) => $$"""
        {
          "ModelGateway": {
            "DefaultModel": "chat",
            "Providers": { "openai": { "Type": "openai", "BaseUrl": "{{server}}v1", "ApiKey": "sk-test-key" } },
            "Models": { "chat": { "Deployments": [ { "Provider": "openai", "Model": "gpt-4o" } ] } },
            "Resilience": { "MaxRetries": 1, "MaxRetryAfter": "{{maxRetryAfter}}" }
          }
        }
        """;
}
