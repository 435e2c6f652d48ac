using System.Diagnostics;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Telemetry;

/// <summary>
/// The gateway appends span attributes (<c>Activity.AddTag</c>, no search for an earlier value), so each attribute must
/// be written once per span and never with a null value: checked on every span of the call's shapes.
/// </summary>
[Collection(TelemetryTestCollection.Name)]
public sealed class TelemetrySpanTagTests
{
    public enum Scenario
    {
        Answered,
        RetriedOnAnotherDeployment,
        AnsweredByTheFallback,
        Failed,
        Streamed,
        StreamFailedMidway,
    }

    [Theory]
    [InlineData(Scenario.Answered)]
    [InlineData(Scenario.RetriedOnAnotherDeployment)]
    [InlineData(Scenario.AnsweredByTheFallback)]
    [InlineData(Scenario.Failed)]
    [InlineData(Scenario.Streamed)]
    [InlineData(Scenario.StreamFailedMidway)]
    public async Task EverySpan_HasEachAttributeOnce_AndNoNullValue(Scenario scenario)
    {
        using TestGateway gateway = TestGateway.Create(TelemetryTracingTests.Config());
        Script(gateway, scenario);
        ChatOptions options = new ChatOptions { Temperature = 0.5f, TopP = 0.9f, MaxOutputTokens = 50, TopK = 5, Seed = 7, StopSequences = ["END"] }
            .WithUser("u-1").WithTeam("search").WithFeature("web_chat").WithTags("beta");
        using var traces = new ActivityCollector();

        try
        {
            if (scenario is Scenario.Streamed or Scenario.StreamFailedMidway)
            {
                await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync("hi", options))
                {
                    _ = update;
                }
            }
            else
            {
                await gateway.Client.GetResponseAsync("hi", options);
            }
        }
        catch (ModelGatewayException) when (scenario is Scenario.Failed or Scenario.StreamFailedMidway)
        {
        }

        Assert.True(traces.Gateway.Count >= 2, "a call span and at least one attempt span");
        Assert.All(traces.Gateway, span =>
        {
            List<KeyValuePair<string, object?>> tags = [.. span.TagObjects];
            Assert.Empty(tags.GroupBy(t => t.Key).Where(g => g.Count() > 1).Select(g => $"{span.DisplayName}: {g.Key} x{g.Count()}"));
            Assert.Empty(tags.Where(t => t.Value is null).Select(t => $"{span.DisplayName}: {t.Key}"));
        });
    }

    private static void Script(TestGateway gateway, Scenario scenario)
    {
        switch (scenario)
        {
            case Scenario.Answered:
                gateway.Fakes["a"].Respond(TelemetryTracingTests.Answer());
                break;
            case Scenario.RetriedOnAnotherDeployment:
                gateway.Fakes["a"].Fail(ProviderErrorKind.RateLimited, 429);
                gateway.Fakes["b"].Respond(TelemetryTracingTests.Answer(model: "mb-1"));
                break;
            case Scenario.AnsweredByTheFallback:
            case Scenario.Failed:
                foreach (string provider in scenario == Scenario.Failed ? new[] { "a", "b", "c" } : ["a", "b"])
                {
                    for (int i = 0; i < 5; i++)
                    {
                        gateway.Fakes[provider].Fail(ProviderErrorKind.Unavailable, 503);
                    }
                }

                break;
            case Scenario.Streamed:
                gateway.Fakes["a"].RespondStreaming("Hel", "lo");
                break;
            case Scenario.StreamFailedMidway:
                gateway.Fakes["a"].FailMidStream(ProviderErrorKind.Unavailable, "Hel");
                break;
        }
    }
}
