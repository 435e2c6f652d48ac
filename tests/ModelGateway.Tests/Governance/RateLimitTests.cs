using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Gateway;
using ModelGateway.Governance;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Governance;

public class RateLimitTests
{
    [Fact]
    public async Task RequestsPerMinute_RejectsWithTheTimeUntilAPermitIsBack()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(time, """{ "Scope": "User", "Key": "*", "RequestsPerMinute": 2 }""");
        await gateway.Client.GetResponseAsync("hi", User("alice"));
        await gateway.Client.GetResponseAsync("hi", User("alice"));

        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => gateway.Client.GetResponseAsync("hi", User("alice")));

        Assert.Equal(LimitScope.User, error.Scope);
        Assert.Equal("alice", error.Key);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter); // 2 per minute come back one every 30 s
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
        await gateway.Client.GetResponseAsync("hi", User("bob")); // each user separately

        time.Advance(TimeSpan.FromSeconds(29));
        var again = await Assert.ThrowsAsync<RateLimitExceededException>(() => gateway.Client.GetResponseAsync("hi", User("alice")));
        Assert.Equal(TimeSpan.FromSeconds(1), again.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(1));
        await gateway.Client.GetResponseAsync("hi", User("alice"));
    }

    [Fact]
    public async Task TokensPerMinute_CountEstimatedInputNowAndReportedOutputAfter()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(time, """{ "Scope": "Global", "TokensPerMinute": 120 }""");
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 80 };

        await gateway.Client.GetResponseAsync("hi"); // takes 5 estimated, then 80 reported: 35 left
        await gateway.Client.GetResponseAsync("hi"); // takes 5 + 80: 50 in debt
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Null(error.Key);
        Assert.Equal(TimeSpan.FromSeconds(27.5), error.RetryAfter); // (5 + 50) tokens at 2 per second
    }

    [Fact]
    public async Task RequestsWithoutAUser_ShareTheAnonymousKey()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(time, """{ "Scope": "User", "Key": "*", "RequestsPerMinute": 1 }""");
        await gateway.Client.GetResponseAsync("hi");

        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Equal(SpendKeys.Anonymous, error.Key);
    }

    [Fact]
    public async Task RejectionByOneLimit_GivesBackWhatTheOthersTook()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(time,
            """{ "Scope": "Global", "RequestsPerMinute": 2 }, { "Scope": "Tag", "Key": "free", "RequestsPerMinute": 1 }""");
        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithTags("free"));

        await Assert.ThrowsAsync<RateLimitExceededException>(() => gateway.Client.GetResponseAsync("hi", new ChatOptions().WithTags("free")));

        await gateway.Client.GetResponseAsync("hi"); // the global permit the rejected request took was given back
    }

    [Fact]
    public async Task Streaming_IsLimitedToo()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(time, """{ "Scope": "Model", "Key": "chat", "RequestsPerMinute": 1 }""");
        await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi"))
        {
        }

        await Assert.ThrowsAsync<RateLimitExceededException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi"))
            {
            }
        });
    }

    [Fact]
    public async Task TenThousandDistinctUsers_DoNotLeaveTenThousandLimitersAlive()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(time, """{ "Scope": "User", "Key": "*", "RequestsPerMinute": 10, "TokensPerMinute": 10000 }""");
        var limits = gateway.Services.GetRequiredService<GatewayRateLimits>();
        for (int i = 0; i < 10_000; i++)
        {
            await gateway.Client.GetResponseAsync("hi", User($"user-{i}"));
        }

        Assert.Equal(20_000, limits.PartitionCount);
        time.Advance(TimeSpan.FromMinutes(1)); // every bucket has refilled: a full bucket is the same as none

        await gateway.Client.GetResponseAsync("hi", User("late"));

        Assert.Equal(2, limits.PartitionCount);
    }

    [Fact]
    public void Bucket_IsASystemThreadingRateLimiter_OnTheGivenClock()
    {
        var time = new ManualTimeProvider();
        using RateLimiter bucket = new ClockTokenBucket(60, time);

        using (RateLimitLease all = bucket.AttemptAcquire(60))
        {
            Assert.True(all.IsAcquired);
        }

        using RateLimitLease refused = bucket.AttemptAcquire(3);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(3), retryAfter);
        Assert.Null(bucket.IdleDuration);

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(bucket.AttemptAcquire(3).IsAcquired);
        Assert.Equal(0, bucket.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void NoRateLimits_PipelineHasNoRateLimitClient()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """);

        Assert.Null(gateway.Services.GetRequiredService<GatewayRuntime>().Pipeline.GetService(typeof(RateLimitChatClient)));
    }

    private static ChatOptions User(string user) => new ChatOptions().WithUser(user);

    private static TestGateway Create(ManualTimeProvider time, string limits) => TestGateway.Create($$"""
        { "ModelGateway": { "DefaultModel": "chat",
          "Providers": { "a": { "Type": "fake" } },
          "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } },
          "RateLimits": [ {{limits}} ] } }
        """, time);
}
