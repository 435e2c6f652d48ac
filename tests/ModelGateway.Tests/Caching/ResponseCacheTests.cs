using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Caching;
using ModelGateway.Gateway;
using ModelGateway.Testing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Caching;

public class ResponseCacheTests
{
    private static string Config(string scope = "Global", bool enabled = true, string ttl = "01:00:00", string extra = "", bool cacheStreaming = true) => $$"""
        { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" } },
          "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } },
          "Cache": { "Enabled": {{(enabled ? "true" : "false")}}, "Ttl": "{{ttl}}", "Scope": "{{scope}}", "CacheStreaming": {{(cacheStreaming ? "true" : "false")}} },
          "Resilience": { "MaxRetries": 0, "BaseDelay": "00:00:00", "MaxDelay": "00:00:00" {{extra}} } } }
        """;

    private static TestGateway Create(string json, TimeProvider? time = null, TestDistributedCache? cache = null) =>
        TestGateway.Create(json, time, configure: cache is null ? null : b => b.Services.AddSingleton<IDistributedCache>(cache));

    [Fact]
    public async Task IdenticalRequest_IsAnsweredFromTheCache_WithoutTheProvider()
    {
        using TestGateway gateway = Create(Config());
        gateway.Fakes["a"].Respond("forty-two");

        ChatResponse first = await gateway.Client.GetResponseAsync("what is the answer?");
        ChatResponse second = await gateway.Client.GetResponseAsync("what is the answer?");

        Assert.Single(gateway.Fakes["a"].Requests);
        Assert.Equal("forty-two", second.Text);
        Assert.False(first.GetGatewayInfo()!.CacheHit);
        GatewayResponseInfo info = second.GetGatewayInfo()!;
        Assert.True(info.CacheHit);
        Assert.Empty(info.Attempts);
        Assert.Equal(0m, info.CostUsd);
        Assert.Equal("chat", info.Model);
        Assert.Equal("a", info.Provider);
    }

    [Fact]
    public async Task DifferentPrompt_IsAMiss()
    {
        using TestGateway gateway = Create(Config());

        await gateway.Client.GetResponseAsync("one");
        ChatResponse second = await gateway.Client.GetResponseAsync("two");

        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
        Assert.False(second.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task EveryHit_ReturnsAFreshResponse_WithoutTheOriginalCallsInfo()
    {
        using TestGateway gateway = Create(Config());
        ChatResponse original = await gateway.Client.GetResponseAsync("hi");

        ChatResponse hit1 = await gateway.Client.GetResponseAsync("hi");
        ChatResponse hit2 = await gateway.Client.GetResponseAsync("hi");

        Assert.NotSame(hit1, hit2);
        Assert.NotSame(hit1.Messages[0], hit2.Messages[0]);
        Assert.NotSame(original.GetGatewayInfo(), hit1.GetGatewayInfo());
        Assert.NotSame(hit1.GetGatewayInfo(), hit2.GetGatewayInfo());
        Assert.True(hit1.GetGatewayInfo()!.CacheHit);
        Assert.Single(original.GetGatewayInfo()!.Attempts);
    }

    [Fact]
    public async Task Disabled_LeavesThePipelineUntouched_AndCachesNothing()
    {
        using TestGateway gateway = Create(Config(enabled: false));
        var stage = gateway.Services.GetServices<GatewayStage>().OfType<ResponseCacheStage>().Single();
        using var inner = new FakeChatClient();

        IChatClient wrapped = stage.Wrap(inner, gateway.Services);
        await gateway.Client.GetResponseAsync("hi");
        await gateway.Client.GetResponseAsync("hi");

        Assert.Same(inner, wrapped);
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
        Assert.Null(gateway.Client.GetService(typeof(ResponseCachingChatClient)));
    }

    [Fact]
    public async Task Bypass_NeitherReadsNorStores()
    {
        using TestGateway gateway = Create(Config());
        FakeChatClient fake = gateway.Fakes["a"];

        await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithCacheMode(CacheMode.Bypass));
        ChatResponse afterBypass = await gateway.Client.GetResponseAsync("hi");
        ChatResponse bypassAgain = await gateway.Client.GetResponseAsync("hi", new ChatOptions().WithCacheMode(CacheMode.Bypass));

        Assert.False(afterBypass.GetGatewayInfo()!.CacheHit); // the bypassed answer was not stored
        Assert.False(bypassAgain.GetGatewayInfo()!.CacheHit); // the stored answer was not read
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Refresh_SkipsReading_AndStoresTheFreshAnswer()
    {
        using TestGateway gateway = Create(Config());
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Respond("old").Respond("new");

        await gateway.Client.GetResponseAsync("q");
        ChatResponse refreshed = await gateway.Client.GetResponseAsync("q", new ChatOptions().WithCacheMode(CacheMode.Refresh));
        ChatResponse later = await gateway.Client.GetResponseAsync("q");

        Assert.Equal("new", refreshed.Text);
        Assert.False(refreshed.GetGatewayInfo()!.CacheHit);
        Assert.Equal("new", later.Text);
        Assert.True(later.GetGatewayInfo()!.CacheHit);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task NoStore_ReadsButNeverStores()
    {
        using TestGateway gateway = Create(Config());
        FakeChatClient fake = gateway.Fakes["a"];

        await gateway.Client.GetResponseAsync("q", new ChatOptions().WithCacheMode(CacheMode.NoStore));
        ChatResponse afterNoStore = await gateway.Client.GetResponseAsync("q");
        ChatResponse noStoreHit = await gateway.Client.GetResponseAsync("q", new ChatOptions().WithCacheMode(CacheMode.NoStore));

        Assert.False(afterNoStore.GetGatewayInfo()!.CacheHit);
        Assert.True(noStoreHit.GetGatewayInfo()!.CacheHit);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Entry_ExpiresAfterTheTtl_OnTheGatewaysClock()
    {
        var time = new ManualTimeProvider();
        var cache = new TestDistributedCache();
        using TestGateway gateway = Create(Config(ttl: "00:10:00"), time, cache);

        await gateway.Client.GetResponseAsync("q");
        time.Advance(TimeSpan.FromMinutes(9));
        ChatResponse beforeExpiry = await gateway.Client.GetResponseAsync("q");
        time.Advance(TimeSpan.FromMinutes(1));
        ChatResponse atExpiry = await gateway.Client.GetResponseAsync("q");

        Assert.True(beforeExpiry.GetGatewayInfo()!.CacheHit);
        Assert.False(atExpiry.GetGatewayInfo()!.CacheHit);
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
        Assert.Equal(TimeSpan.FromMinutes(10), cache.WriteOptions[0].AbsoluteExpirationRelativeToNow); // the backend evicts too
    }

    [Fact]
    public async Task PerRequestTtl_OverridesTheConfiguredOne()
    {
        var time = new ManualTimeProvider();
        var cache = new TestDistributedCache();
        using TestGateway gateway = Create(Config(ttl: "01:00:00"), time, cache);

        await gateway.Client.GetResponseAsync("q", new ChatOptions().WithCacheTtl(TimeSpan.FromMinutes(1)));
        time.Advance(TimeSpan.FromMinutes(2));
        ChatResponse later = await gateway.Client.GetResponseAsync("q");

        Assert.False(later.GetGatewayInfo()!.CacheHit);
        Assert.Equal(TimeSpan.FromMinutes(1), cache.WriteOptions[0].AbsoluteExpirationRelativeToNow);
    }

    [Fact]
    public void WithCacheTtl_RejectsANonPositiveTtl()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithCacheTtl(TimeSpan.Zero));
    }

    [Fact]
    public async Task UserScope_NeverGivesOneUserAnotherUsersAnswer()
    {
        using TestGateway gateway = Create(Config(scope: "User"));
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Respond("for alice").Respond("for bob");

        ChatResponse alice = await gateway.Client.GetResponseAsync("my balance?", new ChatOptions().WithUser("alice"));
        ChatResponse bob = await gateway.Client.GetResponseAsync("my balance?", new ChatOptions().WithUser("bob"));
        ChatResponse aliceAgain = await gateway.Client.GetResponseAsync("my balance?", new ChatOptions().WithUser("alice"));

        Assert.Equal("for alice", alice.Text);
        Assert.Equal("for bob", bob.Text);
        Assert.False(bob.GetGatewayInfo()!.CacheHit);
        Assert.Equal("for alice", aliceAgain.Text);
        Assert.True(aliceAgain.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task UserScope_RequestWithoutAUser_IsNotCached()
    {
        using TestGateway gateway = Create(Config(scope: "User"));

        await gateway.Client.GetResponseAsync("q");
        ChatResponse second = await gateway.Client.GetResponseAsync("q");

        Assert.False(second.GetGatewayInfo()!.CacheHit);
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
    }

    [Fact]
    public async Task GlobalScope_GatewayMetadata_DoesNotChangeTheKey()
    {
        using TestGateway gateway = Create(Config());

        await gateway.Client.GetResponseAsync("q", new ChatOptions().WithUser("alice").WithTags("x"));
        ChatResponse second = await gateway.Client.GetResponseAsync("q", new ChatOptions().WithUser("bob").WithTeam("t").WithCacheTtl(TimeSpan.FromMinutes(5)));

        Assert.True(second.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task ToolDefinitions_ChangeTheKey()
    {
        using TestGateway gateway = Create(Config());
        AIFunction weather = AIFunctionFactory.Create((string city) => "sunny", "weather");
        AIFunction weatherInKelvin = AIFunctionFactory.Create((string city, bool kelvin) => "300", "weather");

        await gateway.Client.GetResponseAsync("weather?", new ChatOptions { Tools = [weather] });
        ChatResponse otherSchema = await gateway.Client.GetResponseAsync("weather?", new ChatOptions { Tools = [weatherInKelvin] });
        ChatResponse noTools = await gateway.Client.GetResponseAsync("weather?");
        ChatResponse required = await gateway.Client.GetResponseAsync("weather?", new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireAny });
        ChatResponse same = await gateway.Client.GetResponseAsync("weather?", new ChatOptions { Tools = [weather] });

        Assert.False(otherSchema.GetGatewayInfo()!.CacheHit);
        Assert.False(noTools.GetGatewayInfo()!.CacheHit);
        Assert.False(required.GetGatewayInfo()!.CacheHit);
        Assert.True(same.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task ResponseFormat_ChangesTheKey()
    {
        using TestGateway gateway = Create(Config());
        JsonElement schemaA = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement;
        JsonElement schemaB = JsonDocument.Parse("""{"type":"object","properties":{"b":{"type":"string"}}}""").RootElement;

        await gateway.Client.GetResponseAsync("q");
        ChatResponse json = await gateway.Client.GetResponseAsync("q", new ChatOptions { ResponseFormat = ChatResponseFormat.Json });
        ChatResponse withA = await gateway.Client.GetResponseAsync("q", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaA, "r") });
        ChatResponse withB = await gateway.Client.GetResponseAsync("q", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaB, "r") });
        ChatResponse withAAgain = await gateway.Client.GetResponseAsync("q", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaA, "r") });

        Assert.False(json.GetGatewayInfo()!.CacheHit);
        Assert.False(withA.GetGatewayInfo()!.CacheHit);
        Assert.False(withB.GetGatewayInfo()!.CacheHit);
        Assert.True(withAAgain.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task AnswerChangingOptions_ChangeTheKey()
    {
        using TestGateway gateway = Create(Config());

        await gateway.Client.GetResponseAsync("q", new ChatOptions { Temperature = 0.1f });
        ChatResponse hotter = await gateway.Client.GetResponseAsync("q", new ChatOptions { Temperature = 0.9f });
        ChatResponse seeded = await gateway.Client.GetResponseAsync("q", new ChatOptions { Temperature = 0.1f, Seed = 7 });
        ChatResponse stop = await gateway.Client.GetResponseAsync("q", new ChatOptions { Temperature = 0.1f, StopSequences = ["x"] });
        ChatResponse provider = await gateway.Client.GetResponseAsync("q", new ChatOptions { Temperature = 0.1f, AdditionalProperties = new() { ["logprobs"] = true } });
        ChatResponse system = await gateway.Client.GetResponseAsync("q", new ChatOptions { Temperature = 0.1f, Instructions = "be brief" });
        ChatResponse same = await gateway.Client.GetResponseAsync("q", new ChatOptions { Temperature = 0.1f });

        Assert.All([hotter, seeded, stop, provider, system], r => Assert.False(r.GetGatewayInfo()!.CacheHit));
        Assert.True(same.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task RequestWithAConversationId_IsNeverCached()
    {
        using TestGateway gateway = Create(Config());

        await gateway.Client.GetResponseAsync("q", new ChatOptions { ConversationId = "conv-1" });
        ChatResponse second = await gateway.Client.GetResponseAsync("q", new ChatOptions { ConversationId = "conv-1" });
        ChatResponse withoutId = await gateway.Client.GetResponseAsync("q");

        Assert.False(second.GetGatewayInfo()!.CacheHit);
        Assert.False(withoutId.GetGatewayInfo()!.CacheHit);
        Assert.Equal(3, gateway.Fakes["a"].Requests.Count);
    }

    [Fact]
    public async Task Streaming_MissPassesThrough_AndIsReplayedAsAStreamOnAHit()
    {
        using TestGateway gateway = Create(Config());
        gateway.Fakes["a"].RespondStreaming("Hel", "lo", " world");

        List<ChatResponseUpdate> first = await ToListAsync(gateway.Client.GetStreamingResponseAsync("greet"));
        List<ChatResponseUpdate> replay = await ToListAsync(gateway.Client.GetStreamingResponseAsync("greet"));
        ChatResponse nonStreaming = await gateway.Client.GetResponseAsync("greet");

        Assert.Equal(["Hel", "lo", " world"], first.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.False(first.ToChatResponse().GetGatewayInfo()!.CacheHit);
        Assert.Equal("Hello world", replay.ToChatResponse().Text);
        Assert.True(replay.ToChatResponse().GetGatewayInfo()!.CacheHit);
        Assert.Equal("Hello world", nonStreaming.Text);
        Assert.True(nonStreaming.GetGatewayInfo()!.CacheHit);
        Assert.Single(gateway.Fakes["a"].Requests);
    }

    [Fact]
    public async Task NonStreamingAnswer_IsReplayedToAStreamingRequest()
    {
        using TestGateway gateway = Create(Config());

        await gateway.Client.GetResponseAsync("greet");
        List<ChatResponseUpdate> replay = await ToListAsync(gateway.Client.GetStreamingResponseAsync("greet"));

        Assert.Equal("greet", replay.ToChatResponse().Text);
        Assert.True(replay.ToChatResponse().GetGatewayInfo()!.CacheHit);
        Assert.Single(gateway.Fakes["a"].Requests);
    }

    [Fact]
    public async Task Streaming_FailedMidStream_IsNotStored()
    {
        using TestGateway gateway = Create(Config());
        gateway.Fakes["a"].FailMidStream(ProviderErrorKind.Unavailable, "partial");

        await Assert.ThrowsAnyAsync<ModelGatewayException>(() => ToListAsync(gateway.Client.GetStreamingResponseAsync("q")));
        ChatResponse next = await gateway.Client.GetResponseAsync("q");

        Assert.False(next.GetGatewayInfo()!.CacheHit);
        Assert.Equal("q", next.Text);
    }

    [Fact]
    public async Task Streaming_AbandonedByTheCaller_IsNotStored()
    {
        using TestGateway gateway = Create(Config());
        gateway.Fakes["a"].RespondStreaming("one", "two", "three");

        await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("q"))
        {
            break;
        }

        ChatResponse next = await gateway.Client.GetResponseAsync("q");

        Assert.False(next.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task CacheStreamingOff_StreamsNeitherReadNorStore()
    {
        using TestGateway gateway = Create(Config(cacheStreaming: false));

        await ToListAsync(gateway.Client.GetStreamingResponseAsync("q"));
        await gateway.Client.GetResponseAsync("q");
        List<ChatResponseUpdate> stream = await ToListAsync(gateway.Client.GetStreamingResponseAsync("q"));

        Assert.False(stream.ToChatResponse().GetGatewayInfo()!.CacheHit);
        Assert.Equal(3, gateway.Fakes["a"].Requests.Count);
    }

    [Fact]
    public async Task Errors_AreNotCached()
    {
        using TestGateway gateway = Create(Config());
        gateway.Fakes["a"].Fail(ProviderErrorKind.BadRequest);

        await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("q"));
        ChatResponse next = await gateway.Client.GetResponseAsync("q");

        Assert.False(next.GetGatewayInfo()!.CacheHit);
        Assert.Equal("q", next.Text);
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
    }

    [Fact]
    public async Task DegradedAnswers_AreNotCached()
    {
        using TestGateway gateway = Create(Config(extra: """, "OnAllFailed": { "Message": "try later" }"""));
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);

        ChatResponse degraded = await gateway.Client.GetResponseAsync("q");
        ChatResponse next = await gateway.Client.GetResponseAsync("q");

        Assert.True(degraded.GetGatewayInfo()!.Degraded);
        Assert.Equal("q", next.Text);
        Assert.False(next.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task CorruptEntry_IsAMiss_AndIsOverwritten()
    {
        var cache = new TestDistributedCache();
        using TestGateway gateway = Create(Config(), cache: cache);
        await gateway.Client.GetResponseAsync("q");
        string key = Assert.Single(cache.Entries.Keys);
        cache.Entries[key] = Encoding.UTF8.GetBytes("{\"v\":1,\"expires\":99999999999999,\"model\":\"chat\",\"response\":{\"messages\":[{\"contents\":[{\"$type\":\"nope\"");

        ChatResponse afterCorruption = await gateway.Client.GetResponseAsync("q");
        ChatResponse afterOverwrite = await gateway.Client.GetResponseAsync("q");

        Assert.Equal("q", afterCorruption.Text);
        Assert.False(afterCorruption.GetGatewayInfo()!.CacheHit);
        Assert.True(afterOverwrite.GetGatewayInfo()!.CacheHit);
        Assert.Equal(2, gateway.Fakes["a"].Requests.Count);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00 })]
    public async Task GarbageEntry_IsAMiss(byte[] garbage)
    {
        var cache = new TestDistributedCache();
        using TestGateway gateway = Create(Config(), cache: cache);
        await gateway.Client.GetResponseAsync("q");
        cache.Entries[Assert.Single(cache.Entries.Keys)] = garbage;

        ChatResponse next = await gateway.Client.GetResponseAsync("q");

        Assert.Equal("q", next.Text);
        Assert.False(next.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task ThrowingBackend_DegradesToNoCaching_NeverAFailedRequest()
    {
        var cache = new TestDistributedCache { Throw = true };
        using TestGateway gateway = Create(Config(), cache: cache);

        ChatResponse first = await gateway.Client.GetResponseAsync("q");
        ChatResponse second = await gateway.Client.GetResponseAsync("q");
        List<ChatResponseUpdate> stream = await ToListAsync(gateway.Client.GetStreamingResponseAsync("q"));
        ChatResponse refreshed = await gateway.Client.GetResponseAsync("q", new ChatOptions().WithCacheMode(CacheMode.Refresh));

        Assert.Equal("q", first.Text);
        Assert.Equal("q", second.Text);
        Assert.Equal("q", stream.ToChatResponse().Text);
        Assert.Equal("q", refreshed.Text); // the write failed, the answer did not
        Assert.Equal(4, gateway.Fakes["a"].Requests.Count);
        Assert.True(cache.Writes >= 1);
    }

    [Fact]
    public async Task HangingBackend_TimesOut_AndTheRequestIsAnswered()
    {
        var time = new ManualTimeProvider();
        var cache = new TestDistributedCache { Hang = true };
        using TestGateway gateway = Create(Config(), time, cache);

        ChatResponse response = await time.DriveAsync(gateway.Client.GetResponseAsync("q"), ResponseCacheStage.OperationTimeout);

        Assert.Equal("q", response.Text);
        Assert.False(response.GetGatewayInfo()!.CacheHit);
    }

    [Fact]
    public async Task HangingWrite_TimesOut_AndTheAnswerIsReturned()
    {
        var time = new ManualTimeProvider();
        var cache = new TestDistributedCache();
        using TestGateway gateway = Create(Config(), time, cache);
        cache.Hang = true;
        Task<ChatResponse> call = gateway.Client.GetResponseAsync("q", new ChatOptions().WithCacheMode(CacheMode.Refresh));

        ChatResponse response = await time.DriveAsync(call, ResponseCacheStage.OperationTimeout);

        Assert.Equal("q", response.Text);
    }

    [Fact]
    public async Task FiftyConcurrentIdenticalRequests_MakeExactlyOneUpstreamCall()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(Config(), time);
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Latency = TimeSpan.FromSeconds(1);

        var calls = new Task<ChatResponse>[50];
        for (int i = 0; i < calls.Length; i++)
        {
            calls[i] = gateway.Client.GetResponseAsync("popular question");
        }

        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        ChatResponse[] responses = await Task.WhenAll(calls);

        Assert.Single(fake.Requests);
        Assert.All(responses, r => Assert.Equal("popular question", r.Text));
        Assert.Equal(50, responses.Distinct().Count()); // each caller has its own object
        Assert.Equal(49, responses.Count(r => r.GetGatewayInfo()!.CacheHit));
    }

    [Fact]
    public async Task OneCallerCancelling_DoesNotCancelTheSharedCall()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(Config(), time);
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Latency = TimeSpan.FromSeconds(1);
        using var leaderCancellation = new CancellationTokenSource();

        Task<ChatResponse> leader = gateway.Client.GetResponseAsync("q", cancellationToken: leaderCancellation.Token);
        Task<ChatResponse> follower = gateway.Client.GetResponseAsync("q");
        await time.WaitForTimersAsync();
        leaderCancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("q", (await follower).Text);
        Assert.Single(fake.Requests);
        Assert.False(fake.Requests[0].CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task EveryCallerCancelling_CancelsTheSharedCall()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(Config(), time);
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Latency = TimeSpan.FromSeconds(1);
        using var cancellation = new CancellationTokenSource();

        Task<ChatResponse> a = gateway.Client.GetResponseAsync("q", cancellationToken: cancellation.Token);
        Task<ChatResponse> b = gateway.Client.GetResponseAsync("q", cancellationToken: cancellation.Token);
        await time.WaitForTimersAsync();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);

        await Wait.UntilAsync(() => fake.Requests[0].CancellationToken.IsCancellationRequested, "the upstream call is cancelled");
        ChatResponse next = await time.DriveAsync(gateway.Client.GetResponseAsync("q"), TimeSpan.FromSeconds(1));
        Assert.Equal("q", next.Text);
    }

    [Fact]
    public async Task LoneCallerCancelling_CancelsItsUpstreamCall_AndLeavesNoFlight()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(Config(), time);
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Latency = TimeSpan.FromSeconds(1);
        using var cancellation = new CancellationTokenSource();
        var cache = (ResponseCachingChatClient)gateway.Client.GetService(typeof(ResponseCachingChatClient))!;

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("q", cancellationToken: cancellation.Token);
        await time.WaitForTimersAsync();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await Wait.UntilAsync(() => fake.Requests[0].CancellationToken.IsCancellationRequested, "the upstream call is cancelled");
        await Wait.UntilAsync(() => cache.FlightsInProgress == 0, "the flight is gone");
        ChatResponse next = await time.DriveAsync(gateway.Client.GetResponseAsync("q"), TimeSpan.FromSeconds(1));
        Assert.Equal("q", next.Text);
        Assert.False(next.GetGatewayInfo()!.CacheHit);
        Assert.Equal(0, cache.FlightsInProgress);
    }

    [Fact]
    public async Task CallerWithoutACancellationToken_LeadsAFlightOthersCanJoin()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(Config(), time);
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Latency = TimeSpan.FromSeconds(1);
        using var followerCancellation = new CancellationTokenSource();

        Task<ChatResponse> leader = gateway.Client.GetResponseAsync("q");
        Task<ChatResponse> cancelled = gateway.Client.GetResponseAsync("q", cancellationToken: followerCancellation.Token);
        Task<ChatResponse> follower = gateway.Client.GetResponseAsync("q");
        await time.WaitForTimersAsync();
        followerCancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False((await leader).GetGatewayInfo()!.CacheHit);
        Assert.True((await follower).GetGatewayInfo()!.CacheHit);
        Assert.Single(fake.Requests);
        Assert.False(fake.Requests[0].CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task ConcurrentRequests_ShareTheUpstreamFailure()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create(Config(), time);
        FakeChatClient fake = gateway.Fakes["a"];
        fake.Latency = TimeSpan.FromSeconds(1);
        fake.Fail(ProviderErrorKind.BadRequest);

        Task<ChatResponse> a = gateway.Client.GetResponseAsync("q");
        Task<ChatResponse> b = gateway.Client.GetResponseAsync("q");
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ProviderException>(() => a);
        await Assert.ThrowsAsync<ProviderException>(() => b);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task AppRegisteredDistributedCache_IsUsed()
    {
        var cache = new TestDistributedCache();
        using TestGateway gateway = Create(Config(), cache: cache);

        await gateway.Client.GetResponseAsync("q");

        Assert.Same(cache, gateway.Services.GetRequiredService<IDistributedCache>());
        Assert.Single(cache.Entries);
        Assert.StartsWith(CacheKeyBuilder.KeyPrefix, Assert.Single(cache.Entries.Keys));
    }

    [Fact]
    public async Task Entry_NeverHoldsGatewayMetadataOrTheScopeValueInItsKey()
    {
        var cache = new TestDistributedCache();
        using TestGateway gateway = Create(Config(scope: "User"), cache: cache);

        await gateway.Client.GetResponseAsync("q", new ChatOptions().WithUser("alice@example.com"));

        string key = Assert.Single(cache.Entries.Keys);
        Assert.DoesNotContain("alice", key);
        Assert.Matches("^modelgateway:cache:v1:[0-9a-f]{64}$", key);
        string entry = Encoding.UTF8.GetString(cache.Entries[key]);
        Assert.DoesNotContain("modelgateway.", entry);
    }

    private static async Task<List<ChatResponseUpdate>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
