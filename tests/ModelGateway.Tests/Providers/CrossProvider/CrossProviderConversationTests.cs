using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.CrossProvider.CrossProviderConversation;

namespace ModelGateway.Tests.Providers.CrossProvider;

/// <summary>
/// The same conversation (system prompt, two user turns, an image, a tool call and its result, one declared tool) sent
/// through one gateway to OpenAI, Anthropic, Gemini, Vertex AI and Cohere — each a real provider client talking to a
/// loopback server in that vendor's wire format — reaches every vendor complete and comes back as equivalent
/// <see cref="ChatResponse"/>s.
/// </summary>
public sealed class CrossProviderConversationTests
{
    public static TheoryData<string> Providers => ["openai", "anthropic", "gemini", "vertex-ai", "cohere"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GetResponseAsync_SameConversation_ReachesTheVendorCompleteInItsOwnFormat(string provider)
    {
        ProviderWire wire = ProviderWire.Named(provider);
        await using CrossProviderHost host = await CrossProviderHost.StartAsync(CrossProviderScenario.Text, [wire]);

        await host.Gateway.Client.GetResponseAsync(Messages(), Options(wire.Alias));

        RecordedRequest request = Assert.Single(host.Server(wire).Requests);
        wire.AssertRoute(request, streaming: false);
        Assert.StartsWith("application/json", request.Header("content-type"));
        AssertBody(wire, request);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GetStreamingResponseAsync_SameConversation_ReachesTheVendorCompleteAsAStreamRequest(string provider)
    {
        ProviderWire wire = ProviderWire.Named(provider);
        await using CrossProviderHost host = await CrossProviderHost.StartAsync(CrossProviderScenario.Text, [wire]);

        await host.Gateway.Client.GetStreamingResponseAsync(Messages(), Options(wire.Alias)).ToChatResponseAsync();

        RecordedRequest request = Assert.Single(host.Server(wire).Requests);
        wire.AssertRoute(request, streaming: true);
        AssertBody(wire, request);
    }

    [Fact]
    public async Task GetResponseAsync_ToolCallAnswers_AreEquivalentAcrossProviders()
    {
        await using CrossProviderHost host = await CrossProviderHost.StartAsync(CrossProviderScenario.ToolCall, ProviderWire.All);

        Dictionary<string, ChatResponse> responses = await SendToEveryProviderAsync(host, streaming: false);

        AssertEquivalent(responses, ExpectedSummary(CrossProviderScenario.ToolCall));
        AssertPerProviderDetails(host, responses, CrossProviderScenario.ToolCall);
    }

    [Fact]
    public async Task GetResponseAsync_TextAnswers_AreEquivalentAcrossProviders()
    {
        await using CrossProviderHost host = await CrossProviderHost.StartAsync(CrossProviderScenario.Text, ProviderWire.All);

        Dictionary<string, ChatResponse> responses = await SendToEveryProviderAsync(host, streaming: false);

        AssertEquivalent(responses, ExpectedSummary(CrossProviderScenario.Text));
        AssertPerProviderDetails(host, responses, CrossProviderScenario.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCallAnswers_CombineToEquivalentResponses()
    {
        await using CrossProviderHost host = await CrossProviderHost.StartAsync(CrossProviderScenario.ToolCall, ProviderWire.All);

        Dictionary<string, ChatResponse> responses = await SendToEveryProviderAsync(host, streaming: true);

        AssertEquivalent(responses, ExpectedSummary(CrossProviderScenario.ToolCall));
        AssertPerProviderDetails(host, responses, CrossProviderScenario.ToolCall);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TextAnswers_CombineToEquivalentResponses()
    {
        await using CrossProviderHost host = await CrossProviderHost.StartAsync(CrossProviderScenario.Text, ProviderWire.All);

        Dictionary<string, ChatResponse> responses = await SendToEveryProviderAsync(host, streaming: true);

        AssertEquivalent(responses, ExpectedSummary(CrossProviderScenario.Text));
        AssertPerProviderDetails(host, responses, CrossProviderScenario.Text);
    }

    [Fact]
    public async Task StreamedAndNonStreamedAnswers_AreEquivalentForEveryProvider()
    {
        await using CrossProviderHost host = await CrossProviderHost.StartAsync(CrossProviderScenario.ToolCall, ProviderWire.All);

        Dictionary<string, ChatResponse> whole = await SendToEveryProviderAsync(host, streaming: false);
        Dictionary<string, ChatResponse> streamed = await SendToEveryProviderAsync(host, streaming: true);

        foreach (ProviderWire wire in ProviderWire.All)
        {
            Assert.Equal((wire.Provider, Summarize(whole[wire.Provider])), (wire.Provider, Summarize(streamed[wire.Provider])));
        }
    }

    /// <summary>Sends the very same message list and options instance to every alias, one after the other.</summary>
    private static async Task<Dictionary<string, ChatResponse>> SendToEveryProviderAsync(CrossProviderHost host, bool streaming)
    {
        List<ChatMessage> messages = Messages();
        string before = JsonSerializer.Serialize(messages, AIJsonUtilities.DefaultOptions);
        var responses = new Dictionary<string, ChatResponse>();
        foreach (ProviderWire wire in ProviderWire.All)
        {
            ChatOptions options = Options(wire.Alias);
            responses[wire.Provider] = streaming
                ? await host.Gateway.Client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
                : await host.Gateway.Client.GetResponseAsync(messages, options);
        }

        // No provider may change the caller's conversation (the next one would see a different one).
        Assert.Equal(before, JsonSerializer.Serialize(messages, AIJsonUtilities.DefaultOptions));
        return responses;
    }

    private static void AssertBody(ProviderWire wire, RecordedRequest request)
    {
        JsonNode expected = JsonNode.Parse(wire.ExpectedBody)!;
        JsonNode actual = wire.Normalize(JsonNode.Parse(request.BodyText)!);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{wire.Provider} body.\nExpected:\n{expected}\nActual:\n{actual}");
        Assert.DoesNotContain("modelgateway", request.BodyText, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertEquivalent(Dictionary<string, ChatResponse> responses, string expected)
    {
        // Every provider is checked before failing, so the message names each one whose answer differs, and how.
        var differences = new System.Text.StringBuilder();
        foreach ((string provider, ChatResponse response) in responses)
        {
            string actual = Summarize(response);
            if (actual != expected)
            {
                differences.Append(provider).Append(":\n  expected ").Append(expected).Append("\n  actual   ").Append(actual).Append('\n');
            }
        }

        Assert.True(differences.Length == 0, "Responses are not equivalent across providers:\n" + differences);
    }

    private static void AssertPerProviderDetails(CrossProviderHost host, Dictionary<string, ChatResponse> responses, CrossProviderScenario scenario)
    {
        foreach (ProviderWire wire in ProviderWire.All)
        {
            ChatResponse response = responses[wire.Provider];
            GatewayResponseInfo info = response.GetGatewayInfo() ?? throw new Xunit.Sdk.XunitException($"{wire.Provider}: no gateway info.");
            Assert.Equal((wire.Provider, wire.Alias, wire.Provider, wire.Model), (wire.Provider, info.Model, info.Provider, info.ProviderModel));
            GatewayAttempt attempt = Assert.Single(info.Attempts);
            Assert.Equal((wire.Provider, (ProviderErrorKind?)null), (attempt.Provider, attempt.ErrorKind));
            Assert.Equal((wire.Provider, wire.ReportsCachedInput ? CachedInputTokens : null), (wire.Provider, response.Usage!.CachedInputTokenCount));
            Assert.False(string.IsNullOrEmpty(response.ResponseId), wire.Provider + ": no ResponseId.");
            Assert.False(string.IsNullOrEmpty(response.ModelId), wire.Provider + ": no ModelId.");
            Assert.Single(host.Server(wire).Requests);

            if (scenario == CrossProviderScenario.ToolCall)
            {
                FunctionCallContent call = Assert.Single(Assert.Single(response.Messages).Contents.OfType<FunctionCallContent>());
                Assert.False(string.IsNullOrEmpty(call.CallId), wire.Provider + ": the call has no id to correlate its result.");
                Assert.Null(call.Exception);
                Assert.IsAssignableFrom<IDictionary<string, object?>>(call.Arguments);
            }
        }
    }

    /// <summary>What must be equal across vendors, as one line of JSON.</summary>
    private static string Summarize(ChatResponse response)
    {
        var calls = new JsonArray();
        var kinds = new JsonArray();
        var roles = new JsonArray();
        foreach (ChatMessage message in response.Messages)
        {
            roles.Add(message.Role.Value);
            foreach (AIContent content in message.Contents)
            {
                kinds.Add(content.GetType().Name);
                if (content is FunctionCallContent call)
                {
                    calls.Add(new JsonObject
                    {
                        ["name"] = call.Name,
                        ["arguments"] = JsonSerializer.SerializeToNode(call.Arguments, AIJsonUtilities.DefaultOptions),
                    });
                }
            }
        }

        return new JsonObject
        {
            ["roles"] = roles,
            ["contents"] = kinds,
            ["text"] = response.Text,
            ["calls"] = calls,
            ["finishReason"] = response.FinishReason?.Value,
            ["usage"] = new JsonObject
            {
                ["input"] = response.Usage?.InputTokenCount,
                ["output"] = response.Usage?.OutputTokenCount,
                ["total"] = response.Usage?.TotalTokenCount,
            },
        }.ToJsonString();
    }

    private static string ExpectedSummary(CrossProviderScenario scenario)
    {
        var expected = new ChatResponse(new ChatMessage(
            ChatRole.Assistant,
            scenario == CrossProviderScenario.ToolCall
                ? [new TextContent(Preamble), new FunctionCallContent("any", ToolName, JsonSerializer.Deserialize<Dictionary<string, object?>>(AnsweredArguments, AIJsonUtilities.DefaultOptions))]
                : [new TextContent(Answer)]))
        {
            FinishReason = scenario == CrossProviderScenario.ToolCall ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens, TotalTokenCount = TotalTokens },
        };
        return Summarize(expected);
    }
}
