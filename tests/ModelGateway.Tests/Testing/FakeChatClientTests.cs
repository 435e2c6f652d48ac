using Microsoft.Extensions.AI;
using ModelGateway.Testing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Testing;

public class FakeChatClientTests
{
    [Fact]
    public async Task ScriptedSteps_AreUsedInOrderThenTheDefaultEchoes()
    {
        var fake = new FakeChatClient().Respond("first").Respond(new ChatResponse(new ChatMessage(ChatRole.Assistant, "second")) { ResponseId = "r2" }).Respond(r => new ChatResponse(new ChatMessage(ChatRole.Assistant, r.LastUserText.ToUpperInvariant())));

        Assert.Equal("first", (await fake.GetResponseAsync("a")).Text);
        Assert.Equal("r2", (await fake.GetResponseAsync("b")).ResponseId);
        Assert.Equal("SHOUT", (await fake.GetResponseAsync("shout")).Text);
        Assert.Equal("echo me", (await fake.GetResponseAsync("echo me")).Text);
        Assert.Equal(0, fake.PendingSteps);
    }

    [Theory]
    [InlineData(ProviderErrorKind.RateLimited, 429)]
    [InlineData(ProviderErrorKind.Timeout, 408)]
    [InlineData(ProviderErrorKind.Unavailable, 503)]
    [InlineData(ProviderErrorKind.Authentication, 401)]
    [InlineData(ProviderErrorKind.NotFound, 404)]
    [InlineData(ProviderErrorKind.BadRequest, 400)]
    [InlineData(ProviderErrorKind.ContextWindowExceeded, 400)]
    [InlineData(ProviderErrorKind.ContentFiltered, 400)]
    [InlineData(ProviderErrorKind.InvalidResponse, 200)]
    public async Task Fail_ThrowsProviderExceptionOfThatKind(ProviderErrorKind kind, int status)
    {
        var fake = new FakeChatClient(providerName: "acme").Fail(kind, retryAfter: TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<ProviderException>(() => fake.GetResponseAsync("hi", new ChatOptions { ModelId = "m1" }));

        Assert.Equal((kind, status, "acme", "m1", TimeSpan.FromSeconds(3)), (error.Kind, error.StatusCode!.Value, error.Provider!, error.ProviderModel!, error.RetryAfter!.Value));
    }

    [Fact]
    public async Task Streaming_YieldsScriptedChunksAndUsage()
    {
        var fake = new FakeChatClient { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3 } }.RespondStreaming("a", "b", "c");

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in fake.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal(["a", "b", "c"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.Equal(10, response.Usage!.InputTokenCount);
        Assert.True(fake.Requests[0].IsStreaming);
    }

    [Fact]
    public async Task Streaming_OfATextResponse_SplitsIntoWords_AndNonStreamingJoinsChunks()
    {
        var fake = new FakeChatClient().Respond("one two three").RespondStreaming("x", "y");

        List<string> words = [];
        await foreach (ChatResponseUpdate update in fake.GetStreamingResponseAsync("hi"))
        {
            if (update.Text.Length > 0)
            {
                words.Add(update.Text);
            }
        }

        Assert.Equal(["one", " two", " three"], words);
        Assert.Equal("xy", (await fake.GetResponseAsync("hi")).Text);
    }

    [Fact]
    public async Task FailMidStream_YieldsChunksThenThrows()
    {
        var fake = new FakeChatClient().FailMidStream(ProviderErrorKind.Unavailable, "partial");
        var received = new List<string>();

        await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in fake.GetStreamingResponseAsync("hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["partial"], received);
    }

    [Fact]
    public async Task Latency_RunsOnTheTimeProvider()
    {
        var time = new ManualTimeProvider();
        var fake = new FakeChatClient(time) { Latency = TimeSpan.FromSeconds(2) };

        Task<ChatResponse> call = fake.GetResponseAsync("hi");
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal("hi", (await call).Text);
    }

    [Fact]
    public async Task Requests_AreRecordedThreadSafely()
    {
        var fake = new FakeChatClient();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => fake.GetResponseAsync($"m{i}", new ChatOptions { Temperature = i }))));

        Assert.Equal(200, fake.Requests.Count);
        Assert.Equal(200, fake.Requests.Select(r => r.LastUserText).Distinct().Count());
    }

    [Fact]
    public async Task Requests_RecordACopyOfTheOptions()
    {
        var fake = new FakeChatClient();
        var options = new ChatOptions { Temperature = 0.5f };

        await fake.GetResponseAsync("hi", options);
        options.Temperature = 1;

        Assert.Equal(0.5f, fake.Requests[0].Options!.Temperature);
    }
}
