using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Testing;

/// <summary>The <c>Type: "fake"</c> provider, configured with no code.</summary>
public class FakeProviderTypeTests
{
    private static TestGateway Create(string provider, TimeProvider? time = null) => TestGateway.Create($$"""
        { "ModelGateway": { "DefaultModel": "chat", "Resilience": { "MaxRetries": 0 },
          "Providers": { "demo": {{provider}} },
          "Models": { "chat": { "Deployments": [ { "Provider": "demo", "Model": "demo-model" } ] } } } }
        """, time, fakes: false);

    [Fact]
    public async Task Echo_AnswersWithTheLastUserMessage()
    {
        using TestGateway gateway = Create("""{ "Type": "fake", "Echo": true }""");

        ChatResponse response = await gateway.Client.GetResponseAsync([new(ChatRole.User, "first"), new(ChatRole.Assistant, "x"), new(ChatRole.User, "second")]);

        Assert.Equal("second", response.Text);
        Assert.Equal("demo-model", response.ModelId);
    }

    [Fact]
    public async Task Responses_AreUsedInTurn()
    {
        using TestGateway gateway = Create("""{ "Type": "fake", "Responses": [ "one", "two" ] }""");

        string[] answers = [(await gateway.Client.GetResponseAsync("a")).Text, (await gateway.Client.GetResponseAsync("b")).Text, (await gateway.Client.GetResponseAsync("c")).Text];

        Assert.Equal(["one", "two", "one"], answers);
    }

    [Fact]
    public async Task Usage_IsReported()
    {
        using TestGateway gateway = Create("""{ "Type": "fake", "Responses": [ "x" ], "Usage": { "InputTokens": 12, "OutputTokens": 5 } }""");

        ChatResponse response = await gateway.Client.GetResponseAsync("hi");

        Assert.Equal((12L, 5L, 17L), (response.Usage!.InputTokenCount!.Value, response.Usage.OutputTokenCount!.Value, response.Usage.TotalTokenCount!.Value));
    }

    [Fact]
    public async Task FailureRateOne_AlwaysFailsAsUnavailable()
    {
        using TestGateway gateway = Create("""{ "Type": "fake", "FailureRate": 1.0 }""");

        var error = await Assert.ThrowsAsync<ProviderException>(() => gateway.Client.GetResponseAsync("hi"));

        Assert.Equal((ProviderErrorKind.Unavailable, 503, "demo"), (error.Kind, error.StatusCode!.Value, error.Provider!));
    }

    [Fact]
    public async Task Latency_RunsOnTheRegisteredTimeProvider()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = Create("""{ "Type": "fake", "Echo": true, "Latency": "00:00:00.500" }""", time);

        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");
        await time.WaitForTimersAsync();
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(TimeSpan.FromMilliseconds(500), (await call).GetGatewayInfo()!.Latency);
    }

    [Fact]
    public async Task Streaming_YieldsWordsAndUsage()
    {
        using TestGateway gateway = Create("""{ "Type": "fake", "Responses": [ "streamed canned answer" ], "Usage": { "InputTokens": 3, "OutputTokens": 3 } }""");

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        Assert.Equal("streamed canned answer", response.Text);
        Assert.Equal(3, updates.Count(u => u.Text.Length > 0));
        Assert.Equal(3, response.Usage!.OutputTokenCount);
        Assert.Equal("demo", response.GetGatewayInfo()!.Provider);
    }
}
