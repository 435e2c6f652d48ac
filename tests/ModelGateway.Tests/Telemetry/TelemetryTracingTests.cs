using ModelGateway.Gateway;
using ModelGateway.Routing;
using ModelGateway.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Telemetry;

[Collection(TelemetryTestCollection.Name)]
public sealed class TelemetryTracingTests
{
    internal static string Config(bool includeContent = false, string extra = "") => $$"""
        { "ModelGateway": { "DefaultModel": "chat",
          "Providers": { "a": { "Type": "openai", "ApiKey": "sk-a" }, "b": { "Type": "anthropic", "ApiKey": "sk-b" }, "c": { "Type": "fake" } },
          "Models": {
            "chat": { "Routing": "Priority", "Deployments": [ { "Provider": "a", "Model": "ma" }, { "Provider": "b", "Model": "mb" } ], "Fallbacks": [ "backup" ],
                      "Defaults": { "Temperature": 0.25 } },
            "backup": { "Deployments": [ { "Provider": "c", "Model": "mc" } ] } },
          "Logging": { "IncludeContent": {{(includeContent ? "true" : "false")}} },
          {{extra}}
          {{TestGateway.NoDelays}} } }
        """;

    internal static ChatResponse Answer(string text = "hello", string model = "ma-2025", int input = 7, int output = 3) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = model,
            ResponseId = "resp-1",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
        };

    [Fact]
    public async Task PlainCall_HasCallSpanWithOneChildAttemptSpan_TaggedWithGenAiAttributes()
    {
        using TestGateway gateway = TestGateway.Create(Config());
        gateway.Fakes["a"].Respond(Answer());
        using var traces = new ActivityCollector();

        await gateway.Client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 50, Seed = 42 }.WithUser("u-1").WithTeam("search").WithFeature("web_chat"));

        Activity call = traces.CallSpan;
        Assert.Equal("chat chat", call.DisplayName);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal("chat", call.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("chat", call.GetTagItem("gen_ai.request.model"));
        Assert.Equal("openai", call.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("ma-2025", call.GetTagItem("gen_ai.response.model"));
        Assert.Equal("resp-1", call.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "stop" }, call.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(7L, call.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(3L, call.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(50, call.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(42L, call.GetTagItem("gen_ai.request.seed"));
        Assert.Equal("chat", call.GetTagItem("modelgateway.alias"));
        Assert.Equal("a", call.GetTagItem("modelgateway.provider"));
        Assert.Equal("a/ma", call.GetTagItem("modelgateway.deployment"));
        Assert.Equal(1, call.GetTagItem("modelgateway.attempts"));
        Assert.Equal(false, call.GetTagItem("modelgateway.cache_hit"));
        Assert.Equal("success", call.GetTagItem("modelgateway.outcome"));
        Assert.Equal(("u-1", "search", "web_chat"), (call.GetTagItem("modelgateway.user"), call.GetTagItem("modelgateway.team"), call.GetTagItem("modelgateway.feature")));
        Assert.Null(call.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, call.Status);
        Assert.Empty(call.Events);

        Activity attempt = Assert.Single(traces.AttemptSpans);
        Assert.Equal("chat ma", attempt.DisplayName);
        Assert.Equal(ActivityKind.Client, attempt.Kind);
        Assert.Equal("openai", attempt.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("ma", attempt.GetTagItem("gen_ai.request.model"));
        Assert.Equal("ma-2025", attempt.GetTagItem("gen_ai.response.model"));
        Assert.Equal(7L, attempt.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(0.25, (double)attempt.GetTagItem("gen_ai.request.temperature")!, 3); // the group's default applies to the attempt
        Assert.Equal(1, attempt.GetTagItem("modelgateway.attempt"));
        Assert.Equal("a/ma", attempt.GetTagItem("modelgateway.deployment"));
        Assert.True(attempt.Duration <= call.Duration);
    }

    [Fact]
    public async Task StreamedCall_CallSpanEndsWhenTheStreamEnds_WithTimeToFirstChunkAndUsage()
    {
        var time = new ManualTimeProvider();
        using TestGateway gateway = TestGateway.Create(Config(), time);
        gateway.Fakes["a"].Usage = new UsageDetails { InputTokenCount = 4, OutputTokenCount = 2 };
        gateway.Fakes["a"].Latency = TimeSpan.FromMilliseconds(300);
        gateway.Fakes["a"].RespondStreaming("Hel", "lo");
        using var traces = new ActivityCollector();

        await using (IAsyncEnumerator<ChatResponseUpdate> stream = gateway.Client.GetStreamingResponseAsync("hi").GetAsyncEnumerator())
        {
            // Advance exactly once: the router's first-token watchdog is a timer too, so driving "while any timer is pending" would overshoot.
            Task<bool> first = stream.MoveNextAsync().AsTask();
            await time.WaitForTimersAsync();
            time.Advance(TimeSpan.FromMilliseconds(300));
            Assert.True(await first);
            Assert.Empty(traces.Gateway); // the call is still going: no span has ended
            while (await stream.MoveNextAsync())
            {
            }
        }

        Activity call = traces.CallSpan;
        Assert.Equal(true, call.GetTagItem("modelgateway.streaming"));
        Assert.Equal("success", call.GetTagItem("modelgateway.outcome"));
        Assert.Equal(4L, call.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(2L, call.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(0.3, (double)call.GetTagItem("gen_ai.response.time_to_first_chunk")!, 3);
        Activity attempt = Assert.Single(traces.AttemptSpans);
        Assert.NotNull(attempt.GetTagItem("gen_ai.response.time_to_first_chunk"));
        Assert.Equal(2L, attempt.GetTagItem("gen_ai.usage.output_tokens"));
    }

    [Fact]
    public async Task RetriedCall_HasOneChildPerAttempt_TheFailedOneMarkedWithItsErrorType()
    {
        using TestGateway gateway = TestGateway.Create(Config());
        gateway.Fakes["a"].Fail(ProviderErrorKind.RateLimited, 429);
        gateway.Fakes["b"].Respond(Answer(model: "mb-1"));
        using var traces = new ActivityCollector();

        await gateway.Client.GetResponseAsync("hi");

        Activity call = traces.CallSpan;
        Assert.Equal(2, call.GetTagItem("modelgateway.attempts"));
        Assert.Equal("anthropic", call.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("b/mb", call.GetTagItem("modelgateway.deployment"));
        Assert.Equal(ActivityStatusCode.Unset, call.Status);
        Assert.Collection(traces.AttemptSpans,
            first =>
            {
                Assert.Equal(("chat ma", 1), (first.DisplayName, first.GetTagItem("modelgateway.attempt")));
                Assert.Equal("rate_limited", first.GetTagItem("error.type"));
                Assert.Equal(429, first.GetTagItem("http.response.status_code"));
                Assert.Equal(ActivityStatusCode.Error, first.Status);
            },
            second =>
            {
                Assert.Equal(("chat mb", 2), (second.DisplayName, second.GetTagItem("modelgateway.attempt")));
                Assert.Equal("anthropic", second.GetTagItem("gen_ai.provider.name"));
                Assert.Null(second.GetTagItem("error.type"));
                Assert.Equal(ActivityStatusCode.Unset, second.Status);
            });
    }

    [Fact]
    public async Task FailedCall_CallSpanIsAnErrorWithTheLastFailureKind_AndEveryAttemptHasASpan()
    {
        using TestGateway gateway = TestGateway.Create(Config());
        foreach (string provider in new[] { "a", "b", "c" })
        {
            for (int i = 0; i < 5; i++)
            {
                gateway.Fakes[provider].Fail(ProviderErrorKind.Unavailable, 503);
            }
        }

        using var traces = new ActivityCollector();

        ModelGatewayException error = await Assert.ThrowsAnyAsync<ModelGatewayException>(() => gateway.Client.GetResponseAsync("hi"));

        Activity call = traces.CallSpan;
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal("unavailable", call.GetTagItem("error.type"));
        Assert.Equal("error", call.GetTagItem("modelgateway.outcome"));
        Assert.Equal(error.Attempts.Count, call.GetTagItem("modelgateway.attempts"));
        IReadOnlyList<Activity> attempts = traces.AttemptSpans;
        Assert.Equal(error.Attempts.Count, attempts.Count);
        Assert.True(attempts.Count > 1);
        Assert.All(attempts, a => Assert.Equal(("unavailable", ActivityStatusCode.Error), ((string)a.GetTagItem("error.type")!, a.Status)));
        Assert.Equal(
            error.Attempts.Select(a => a.Provider + "/" + a.ProviderModel),
            attempts.Select(a => (string)a.GetTagItem("modelgateway.deployment")!));
    }

    [Fact]
    public async Task FailedStream_CallSpanIsAnError()
    {
        using TestGateway gateway = TestGateway.Create(Config());
        gateway.Fakes["a"].FailMidStream(ProviderErrorKind.Unavailable, "Hel");
        using var traces = new ActivityCollector();

        await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi"))
            {
            }
        });

        Activity call = traces.CallSpan;
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal("unavailable", call.GetTagItem("error.type"));
        Assert.Equal("unavailable", Assert.Single(traces.AttemptSpans).GetTagItem("error.type"));
    }

    [Fact]
    public async Task IncludeContent_AddsTheMessagesAsASpanEvent_InTheGenAiShape()
    {
        using TestGateway gateway = TestGateway.Create(Config(includeContent: true));
        gateway.Fakes["a"].Respond(Answer("the answer"));
        using var traces = new ActivityCollector();

        await gateway.Client.GetResponseAsync("the question", new ChatOptions { Instructions = "be brief" });

        ActivityEvent details = Assert.Single(traces.CallSpan.Events);
        Assert.Equal("gen_ai.client.inference.operation.details", details.Name);
        Dictionary<string, object?> tags = details.Tags.ToDictionary(t => t.Key, t => t.Value);
        JsonElement input = JsonDocument.Parse((string)tags["gen_ai.input.messages"]!).RootElement;
        Assert.Equal("user", input[0].GetProperty("role").GetString());
        Assert.Equal("the question", input[0].GetProperty("parts")[0].GetProperty("content").GetString());
        JsonElement output = JsonDocument.Parse((string)tags["gen_ai.output.messages"]!).RootElement;
        Assert.Equal("the answer", output[0].GetProperty("parts")[0].GetProperty("content").GetString());
        Assert.Equal("stop", output[0].GetProperty("finish_reason").GetString());
        Assert.Contains("be brief", (string)tags["gen_ai.system_instructions"]!);
    }

    [Fact]
    public async Task IncludeContent_StreamedOutput_IsRecordedOnceTheStreamEnds()
    {
        using TestGateway gateway = TestGateway.Create(Config(includeContent: true));
        gateway.Fakes["a"].RespondStreaming("Hel", "lo");
        using var traces = new ActivityCollector();

        await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("hi"))
        {
        }

        ActivityEvent details = Assert.Single(traces.CallSpan.Events);
        string output = (string)details.Tags.Single(t => t.Key == "gen_ai.output.messages").Value!;
        Assert.Equal("Hello", JsonDocument.Parse(output).RootElement[0].GetProperty("parts")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task WithoutListeners_NoTelemetryStateIsCreated()
    {
        var probe = new ContextProbe();
        using TestGateway gateway = TestGateway.Create(Config(), configure: b => b.Services.AddSingleton<AttemptObserver>(probe));

        await gateway.Client.GetResponseAsync("hi");

        Assert.True(probe.Called);
        Assert.False(probe.SawTelemetry);
    }

    [Fact]
    public async Task WithAListener_TelemetryStateReachesTheAttempt()
    {
        var probe = new ContextProbe();
        using TestGateway gateway = TestGateway.Create(Config(), configure: b => b.Services.AddSingleton<AttemptObserver>(probe));
        using var traces = new ActivityCollector();

        await gateway.Client.GetResponseAsync("hi");

        Assert.True(probe.SawTelemetry);
    }

    [Fact]
    public async Task AttemptSpan_ParentsTheProvidersHttpClientSpan()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"c1","object":"chat.completion","model":"gpt-x","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}""");
        });
        using TestGateway gateway = TestGateway.Create($$"""
            { "ModelGateway": { "DefaultModel": "gpt",
              "Providers": { "openai": { "Type": "openai", "BaseUrl": "{{server.BaseAddress}}v1", "ApiKey": "sk-x" } },
              "Models": { "gpt": { "Deployments": [ { "Provider": "openai", "Model": "gpt-x" } ] } } } }
            """, fakes: false);
        using var traces = new ActivityCollector(allSources: true);

        await gateway.Client.GetResponseAsync("hi");

        Activity attempt = Assert.Single(traces.AttemptSpans);
        Activity http = Assert.Single(traces.Stopped, a => a.Source.Name == "System.Net.Http");
        Assert.Equal(attempt.SpanId, http.ParentSpanId);
    }

    [Fact]
    public void GenAiProviderName_MapsProviderTypesToTheWellKnownValues()
    {
        Assert.Equal("azure.ai.openai", TelemetryNames.GenAiProviderName("azure-openai"));
        Assert.Equal("gcp.gemini", TelemetryNames.GenAiProviderName("gemini"));
        Assert.Equal("gcp.vertex_ai", TelemetryNames.GenAiProviderName("vertex-ai"));
        Assert.Equal("aws.bedrock", TelemetryNames.GenAiProviderName("bedrock"));
        Assert.Equal("mistral_ai", TelemetryNames.GenAiProviderName("mistral"));
        Assert.Equal("x_ai", TelemetryNames.GenAiProviderName("xai"));
        Assert.Equal("openai", TelemetryNames.GenAiProviderName("openai-compatible"));
        Assert.Equal("ollama", TelemetryNames.GenAiProviderName("ollama"));
    }

    private sealed class ContextProbe : AttemptObserver
    {
        public bool Called { get; private set; }

        public bool SawTelemetry { get; private set; }

        public override object? OnAttemptStarting(GatewayRequestContext context, in AttemptInfo attempt)
        {
            Called = true;
            SawTelemetry = context.Telemetry is not null;
            return null;
        }
    }
}
