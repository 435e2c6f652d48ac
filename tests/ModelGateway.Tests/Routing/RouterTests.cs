using Microsoft.Extensions.AI;
using ModelGateway.Testing;
using ModelGateway.Routing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Routing;

public class RouterTests
{
    // Two deployments tried in list order, a general fallback, and kind-specific fallbacks.
    private const string Config = """
    {
      "ModelGateway": {
        "DefaultModel": "chat",
        "Resilience": { "MaxRetries": 2, "BaseDelay": "00:00:01", "MaxDelay": "00:00:04", "MaxRetryAfter": "00:00:30" },
        "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" }, "backup": { "Type": "fake" },
                       "long": { "Type": "fake" }, "safe": { "Type": "fake" } },
        "Models": {
          "chat": {
            "Routing": "Priority",
            "Deployments": [ { "Provider": "a", "Model": "small", "MaxInputTokens": 8000 }, { "Provider": "b", "Model": "big", "MaxInputTokens": 128000 } ],
            "Fallbacks": [ "fallback-chat" ],
            "ContextWindowFallbacks": [ "long-context" ],
            "ContentPolicyFallbacks": [ "safe-chat" ]
          },
          "fallback-chat": { "Deployments": [ { "Provider": "backup", "Model": "m" } ] },
          "long-context": { "Deployments": [ { "Provider": "long", "Model": "m" } ] },
          "safe-chat": { "Deployments": [ { "Provider": "safe", "Model": "m" } ] }
        }
      }
    }
    """;

    [Theory]
    [InlineData(ProviderErrorKind.RateLimited)]
    [InlineData(ProviderErrorKind.Timeout)]
    [InlineData(ProviderErrorKind.Unavailable)]
    [InlineData(ProviderErrorKind.Authentication)]
    [InlineData(ProviderErrorKind.NotFound)]
    [InlineData(ProviderErrorKind.InvalidResponse)]
    public async Task Failure_MovesToTheNextDeployment(ProviderErrorKind kind)
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(kind);
        gateway.Fakes["b"].Respond("from b");

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal("from b", response.Text);
        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Equal(("chat", "b", "big"), (info.Model, info.Provider!, info.ProviderModel!));
        Assert.Equal([kind, null], info.Attempts.Select(a => a.ErrorKind));
        Assert.Equal(["a", "b"], info.Attempts.Select(a => a.Provider));
        Assert.Equal(TimeSpan.Zero, info.Attempts[1].Delay); // moving to another deployment does not wait
        Assert.Empty(gateway.Fakes["backup"].Requests);
    }

    [Fact]
    public async Task LargeGroup_MoreThan64Deployments_FailsOverThroughEveryOneThenRetriesTheOldestFailure()
    {
        const int count = 65;
        var time = new ManualTimeProvider();
        string deployments = string.Join(",", Enumerable.Range(0, count).Select(i => $"{{ \"Provider\": \"a\", \"Model\": \"m{i}\" }}"));
        using TestGateway gateway = TestGateway.Create($$"""
            { "ModelGateway": { "DefaultModel": "chat",
              "Resilience": { "MaxRetries": {{count}}, "BaseDelay": "00:00:01", "MaxDelay": "00:00:01" },
              "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Routing": "Priority", "Deployments": [ {{deployments}} ] } } } }
            """, time);
        for (int i = 0; i < count; i++)
        {
            gateway.Fakes["a"].Fail(ProviderErrorKind.RateLimited);
        }

        gateway.Fakes["a"].Respond("ok");

        ChatResponse response = await time.DriveAsync(gateway.Client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(500));

        Assert.Equal("ok", response.Text);
        IReadOnlyList<GatewayAttempt> attempts = response.GetGatewayInfo()!.Attempts;
        Assert.Equal(count + 1, attempts.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), attempts.Take(count).Select(a => a.ProviderModel));
        Assert.Equal("m0", attempts[count].ProviderModel); // the retry goes to the one that failed longest ago
        Assert.True(attempts[count].Delay > TimeSpan.Zero);
    }

    [Fact]
    public async Task BadRequest_IsNeitherRetriedNorFailedOver()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(ProviderErrorKind.BadRequest, message: "unknown parameter 'foo'");

        var error = await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Equal(ProviderErrorKind.BadRequest, error.Kind);
        Assert.Equal("unknown parameter 'foo'", error.Message);
        Assert.Single(error.Attempts);
        Assert.Empty(gateway.Fakes["b"].Requests);
        Assert.Empty(gateway.Fakes["backup"].Requests);
    }

    [Fact]
    public async Task ContentFiltered_SkipsTheGroupAndUsesContentPolicyFallbacks()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(ProviderErrorKind.ContentFiltered);
        gateway.Fakes["safe"].Respond("filtered elsewhere");

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal("filtered elsewhere", response.Text);
        Assert.Equal("safe-chat", response.GetGatewayInfo()!.Model);
        Assert.Empty(gateway.Fakes["b"].Requests);
        Assert.Empty(gateway.Fakes["backup"].Requests);
    }

    [Fact]
    public async Task ContextWindowExceeded_TriesOnlyALargerDeploymentThenContextWindowFallbacks()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(ProviderErrorKind.ContextWindowExceeded);
        gateway.Fakes["b"].Fail(ProviderErrorKind.ContextWindowExceeded);
        gateway.Fakes["long"].Respond("long answer");

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal("long answer", response.Text);
        Assert.Equal(["a", "b", "long"], response.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
        Assert.Empty(gateway.Fakes["backup"].Requests);
    }

    [Fact]
    public async Task ContextWindowExceeded_OnTheLargestDeployment_DoesNotTryASmallerOne()
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"Routing\": \"Priority\"", "\"Routing\": \"Priority\"").Replace(
            "{ \"Provider\": \"a\", \"Model\": \"small\", \"MaxInputTokens\": 8000 }, { \"Provider\": \"b\", \"Model\": \"big\", \"MaxInputTokens\": 128000 }",
            "{ \"Provider\": \"b\", \"Model\": \"big\", \"MaxInputTokens\": 128000 }, { \"Provider\": \"a\", \"Model\": \"small\", \"MaxInputTokens\": 8000 }"));
        gateway.Fakes["b"].Fail(ProviderErrorKind.ContextWindowExceeded);

        await gateway.Client.GetResponseAsync("hi");

        Assert.Empty(gateway.Fakes["a"].Requests);
        Assert.Single(gateway.Fakes["long"].Requests);
    }

    [Fact]
    public async Task EveryDeploymentFails_FallbackAliasAnswers()
    {
        // The retryable failure (a's 503) is retried once more within MaxRetries before the group gives up; b's 401 is not.
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config, time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Unavailable);
        gateway.Fakes["b"].Fail(ProviderErrorKind.Authentication);
        gateway.Fakes["backup"].Respond("fallback");

        ChatResponse response = await time.DriveAsync(gateway.Client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(500));

        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Equal("fallback", response.Text);
        Assert.Equal(("fallback-chat", "backup"), (info.Model, info.Provider!));
        Assert.Equal(["chat", "chat", "chat", "fallback-chat"], info.Attempts.Select(a => a.Model));
        Assert.Equal(["a", "b", "a", "backup"], info.Attempts.Select(a => a.Provider));
        Assert.Equal([ProviderErrorKind.Unavailable, ProviderErrorKind.Authentication, ProviderErrorKind.Unavailable, null], info.Attempts.Select(a => a.ErrorKind));
        Assert.Single(gateway.Fakes["b"].Requests);
    }

    [Fact]
    public async Task EverythingFails_ThrowsModelGatewayExceptionListingEveryAttempt()
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxRetries\": 2", "\"MaxRetries\": 0"));
        gateway.Fakes["a"].Fail(ProviderErrorKind.Authentication, 401);
        gateway.Fakes["b"].Fail(ProviderErrorKind.NotFound, 404);
        gateway.Fakes["backup"].Fail(ProviderErrorKind.Authentication, 403);

        var error = await Assert.ThrowsAsync<ModelGatewayException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.IsNotType<ProviderException>(error);
        Assert.Equal([401, 404, 403], error.Attempts.Select(a => a.StatusCode!.Value));
        Assert.Equal(["a", "b", "backup"], error.Attempts.Select(a => a.Provider));
        Assert.IsType<ProviderException>(error.InnerException);
        Assert.Contains("3 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyOptionFails_SurfacesTheProviderExceptionWithItsAttempt()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Authentication, 401);

        var error = await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Equal((ProviderErrorKind.Authentication, 401, "a"), (error.Kind, error.StatusCode!.Value, error.Provider!));
        Assert.Single(error.Attempts);
    }

    [Fact]
    public async Task OnAllFailedMessage_AnswersDegraded()
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxRetries\": 2,", "\"MaxRetries\": 0, \"OnAllFailed\": { \"Message\": \"Try again later.\" },"));
        gateway.Fakes["a"].Fail(ProviderErrorKind.NotFound);
        gateway.Fakes["b"].Fail(ProviderErrorKind.NotFound);
        gateway.Fakes["backup"].Fail(ProviderErrorKind.NotFound);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        GatewayResponseInfo info = response.GetGatewayInfo()!;
        Assert.Equal("Try again later.", response.Text);
        Assert.True(info.Degraded);
        Assert.Null(info.Provider);
        Assert.Equal(3, info.Attempts.Count);
    }

    [Fact]
    public async Task OnAllFailedMessage_BadRequestStillThrows()
    {
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxRetries\": 2,", "\"OnAllFailed\": { \"Message\": \"Try again later.\" },"));
        gateway.Fakes["a"].Fail(ProviderErrorKind.BadRequest);

        await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));
    }

    [Fact]
    public async Task RetryableFailureOnEveryDeployment_RetriesWithBackoffUpToMaxRetries()
    {
        // Retries prefer a deployment other than the one that just failed, and every retry waits for the backoff.
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxRetries\": 2", "\"MaxRetries\": 3"), time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable).Fail(ProviderErrorKind.Unavailable);
        gateway.Fakes["b"].Fail(ProviderErrorKind.Unavailable);
        gateway.Fakes["b"].Respond("fourth time lucky");

        ChatResponse response = await time.DriveAsync(gateway.Client.GetResponseAsync("hi"), TimeSpan.FromMilliseconds(100));

        Assert.Equal("fourth time lucky", response.Text);
        IReadOnlyList<GatewayAttempt> attempts = response.GetGatewayInfo()!.Attempts;
        Assert.Equal(["a", "b", "a", "b"], attempts.Select(a => a.Provider));
        Assert.Equal(TimeSpan.Zero, attempts[1].Delay);
        Assert.InRange(attempts[2].Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        Assert.InRange(attempts[3].Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        Assert.True(attempts[3].Delay >= attempts[2].Delay * 0.74, "backoff grows (within jitter)");
    }

    [Fact]
    public async Task Retries_NeverExceedMaxRetries()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config.Replace("\"MaxRetries\": 2", "\"MaxRetries\": 3"), time);
        for (int i = 0; i < 10; i++)
        {
            gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);
            gateway.Fakes["b"].Fail(ProviderErrorKind.Unavailable);
            gateway.Fakes["backup"].Fail(ProviderErrorKind.Unavailable);
        }

        var error = await Assert.ThrowsAsync<ModelGatewayException>(() => time.DriveAsync(gateway.Client.GetResponseAsync("hi"), TimeSpan.FromSeconds(1)));
        Assert.Equal(4, error.Attempts.Count(a => a.Model == "chat"));        // 1 + MaxRetries in the group
        Assert.Equal(4, error.Attempts.Count(a => a.Model == "fallback-chat")); // and again in the fallback
    }

    [Fact]
    public async Task RetryAfter_IsWaitedBeforeRetryingTheSameDeployment()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "MaxRetryAfter": "00:00:30" },
              "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """, time);
        gateway.Fakes["a"].Fail(ProviderErrorKind.RateLimited, retryAfter: TimeSpan.FromSeconds(7)).Respond("ok");

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        ChatResponse response = await call;

        Assert.Equal(TimeSpan.FromSeconds(7), response.GetGatewayInfo()!.Attempts[1].Delay);
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxRetryAfter_MovesOnToTheFallback()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "MaxRetryAfter": "00:00:30" },
              "Providers": { "a": { "Type": "fake" }, "backup": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ], "Fallbacks": [ "fb" ] },
                          "fb": { "Deployments": [ { "Provider": "backup", "Model": "m" } ] } } } }
            """);
        gateway.Fakes["a"].Fail(ProviderErrorKind.RateLimited, retryAfter: TimeSpan.FromMinutes(5));

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal("fb", response.GetGatewayInfo()!.Model);
        Assert.Single(gateway.Fakes["a"].Requests);
    }

    [Fact]
    public async Task NonProviderExceptions_AreClassified()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(new HttpRequestException("connection refused"));
        gateway.Fakes["b"].Fail(new System.Text.Json.JsonException("bad json"));

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal([ProviderErrorKind.Unavailable, ProviderErrorKind.InvalidResponse, null], response.GetGatewayInfo()!.Attempts.Select(a => a.ErrorKind));
    }

    [Fact]
    public async Task Streaming_FailureBeforeFirstChunk_IsAnsweredByTheNextDeployment()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);
        gateway.Fakes["b"].RespondStreaming("from ", "b");

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("from b", response.Text);
        Assert.Equal(["a", "b"], response.GetGatewayInfo()!.Attempts.Select(a => a.Provider));
    }

    [Fact]
    public async Task Streaming_FailureAfterFirstChunk_SurfacesWithoutDuplicatedText()
    {
        using TestGateway gateway = TestGateway.Create(Config);
        gateway.Fakes["a"].FailMidStream(ProviderErrorKind.Unavailable, "Hello", " wor");
        gateway.Fakes["b"].RespondStreaming("Hello", " world");

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hello", " wor"], received);
        Assert.Equal(ProviderErrorKind.Unavailable, error.Kind);
        Assert.Empty(gateway.Fakes["b"].Requests);
        Assert.Equal(1, gateway.Gateway.GetDeploymentHealth().Single(h => h.Provider == "a").Failures);
    }

    [Fact]
    public async Task Streaming_AllFailWithOnAllFailed_StreamsTheDegradedAnswer()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "MaxRetries": 0, "OnAllFailed": { "Message": "Busy." } },
              "Providers": { "a": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """);
        gateway.Fakes["a"].Fail(ProviderErrorKind.Unavailable);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("Busy.", response.Text);
        Assert.True(response.GetGatewayInfo()!.Degraded);
    }

    [Fact]
    public async Task Streaming_CallerStopsEarly_DisposesTheProviderStream()
    {
        var provider = new DisposalTrackingStreamClient();
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "chat", "Providers": { "a": { "Type": "tracked" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "a", "Model": "m" } ] } } } }
            """, configure: b => b.AddProviderType("tracked", (_, _) => provider), fakes: false);

        await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi"))
        {
            break;
        }

        Assert.True(provider.Disposed);
        Assert.Equal(0, gateway.Gateway.GetDeploymentHealth().Single().InFlight);
        Assert.Equal(0, gateway.Gateway.GetDeploymentHealth().Single().Failures);
    }

    [Fact]
    public async Task Fallbacks_FollowTheFallbacksOfAFallback_OnceEach()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "a", "Resilience": { "MaxRetries": 0 },
              "Providers": { "pa": { "Type": "fake" }, "pb": { "Type": "fake" }, "pc": { "Type": "fake" } },
              "Models": {
                "a": { "Deployments": [ { "Provider": "pa", "Model": "m" } ], "Fallbacks": [ "b" ] },
                "b": { "Deployments": [ { "Provider": "pb", "Model": "m" } ], "Fallbacks": [ "c" ] },
                "c": { "Deployments": [ { "Provider": "pc", "Model": "m" } ] } } } }
            """);
        gateway.Fakes["pa"].Fail(ProviderErrorKind.NotFound);
        gateway.Fakes["pb"].Fail(ProviderErrorKind.NotFound);

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal(["a", "b", "c"], response.GetGatewayInfo()!.Attempts.Select(a => a.Model));
    }

    [Fact]
    public void Weighted_SplitsTrafficInProportionToWeight()
    {
        var deployments = new[]
        {
            new Deployment("main", "m", new FakeChatClient(), new DeploymentOptions { Weight = 95 }),
            new Deployment("canary", "m", new FakeChatClient(), new DeploymentOptions { Weight = 5 }),
        };
        var group = new ModelGroup("chat", RoutingStrategy.Weighted, deployments, new ModelGroupOptions());
        var random = new Random(12345);
        int canary = 0;
        const int Draws = 20_000;

        for (int i = 0; i < Draws; i++)
        {
            canary += DeploymentSelector.Select(group, deployments, new bool[2], null, random);
        }

        Assert.InRange(canary / (double)Draws, 0.045, 0.055);
    }

    [Fact]
    public void Weighted_ZeroWeightDeployment_OnlyTakesTrafficWhenTheOthersAreExcluded()
    {
        var deployments = new[]
        {
            new Deployment("standby", "m", new FakeChatClient(), new DeploymentOptions { Weight = 0 }),
            new Deployment("main", "m", new FakeChatClient(), new DeploymentOptions { Weight = 1 }),
        };
        var group = new ModelGroup("chat", RoutingStrategy.Weighted, deployments, new ModelGroupOptions());
        var random = new Random(1);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(1, DeploymentSelector.Select(group, deployments, new bool[2], null, random));
        }

        Assert.Equal(0, DeploymentSelector.Select(group, deployments, [false, true], null, random));
    }

    [Fact]
    public void RoundRobin_TakesDeploymentsInTurn()
    {
        var deployments = new[]
        {
            new Deployment("x", "m", new FakeChatClient(), null),
            new Deployment("y", "m", new FakeChatClient(), null),
            new Deployment("z", "m", new FakeChatClient(), null),
        };
        var group = new ModelGroup("chat", RoutingStrategy.RoundRobin, deployments, new ModelGroupOptions());

        int[] picks = [.. Enumerable.Range(0, 6).Select(_ => DeploymentSelector.Select(group, deployments, new bool[3], null, Random.Shared))];

        Assert.Equal([0, 1, 2, 0, 1, 2], picks);
    }

    private sealed class DisposalTrackingStreamClient : IChatClient
    {
        public bool Disposed { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                for (int i = 0; ; i++)
                {
                    await Task.Yield();
                    yield return new ChatResponseUpdate(ChatRole.Assistant, $"chunk {i}");
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
