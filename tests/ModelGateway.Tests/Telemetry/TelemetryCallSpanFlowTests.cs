using System.Diagnostics;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Telemetry;

[Collection(TelemetryTestCollection.Name)]
public sealed class TelemetryCallSpanFlowTests
{
    [Fact]
    public async Task A_call_still_running_leaves_the_callers_current_activity_as_it_was()
    {
        // Arrange
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config(), time);
        gateway.Fakes["a"].Latency = TimeSpan.FromMilliseconds(300);
        gateway.Fakes["a"].Respond(TelemetryTracingTests.Answer());
        using var traces = new ActivityCollector();
        Activity? before = Activity.Current;

        // Act
        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi");
        Activity? during = Activity.Current;
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromMilliseconds(300));
        await call;

        // Assert
        Assert.False(before is null);
        Assert.Same(before, during);
        Assert.Same(before, Activity.Current);
        Activity span = traces.CallSpan;
        Assert.Equal("success", span.GetTagItem("modelgateway.outcome"));
        Assert.Single(traces.AttemptSpans);
        Assert.True(span.Duration >= TimeSpan.Zero);
    }

    [Fact]
    public async Task A_call_answered_at_once_ends_its_span_and_leaves_the_callers_current_activity_as_it_was()
    {
        // Arrange
        using TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config(extra: "\"Cache\": { \"Enabled\": true },"));
        gateway.Fakes["a"].Respond(TelemetryTracingTests.Answer());
        await gateway.Client.GetResponseAsync("hi", new ChatOptions { Temperature = 0.5f });
        using var traces = new ActivityCollector();
        Activity? before = Activity.Current;

        // Act: a cache hit completes without waiting.
        Task<ChatResponse> call = gateway.Client.GetResponseAsync("hi", new ChatOptions { Temperature = 0.5f });
        Activity? after = Activity.Current;
        ChatResponse response = await call;

        // Assert
        Assert.True(call.IsCompletedSuccessfully);
        Assert.Same(before, after);
        Activity span = traces.CallSpan;
        Assert.Equal(true, span.GetTagItem("modelgateway.cache_hit"));
        Assert.Equal(0d, span.GetTagItem("modelgateway.cost_usd") ?? 0d);
        Assert.Equal(0.5, (double)span.GetTagItem("gen_ai.request.temperature")!, 6);
        Assert.Equal("hello", response.Text);
    }

    [Fact]
    public async Task The_call_and_attempt_spans_carry_equal_values_for_the_tags_they_share()
    {
        // Arrange
        using TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config());
        gateway.Fakes["a"].Respond(TelemetryTracingTests.Answer(input: 11, output: 5));
        using var traces = new ActivityCollector();

        // Act
        await gateway.Client.GetResponseAsync("hi", new ChatOptions { Temperature = 0.75f, TopP = 0.5f, MaxOutputTokens = 64 });

        // Assert
        Activity call = traces.CallSpan;
        Activity attempt = Assert.Single(traces.AttemptSpans);
        foreach (string tag in new[] { "gen_ai.request.temperature", "gen_ai.request.top_p", "gen_ai.request.max_tokens", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.response.finish_reasons" })
        {
            Assert.NotNull(call.GetTagItem(tag));
            Assert.Equal(call.GetTagItem(tag), attempt.GetTagItem(tag));
        }

        Assert.Equal(0.75, (double)call.GetTagItem("gen_ai.request.temperature")!, 6);
        Assert.Equal(64, call.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(11L, attempt.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(new[] { "stop" }, attempt.GetTagItem("gen_ai.response.finish_reasons"));
    }
}
