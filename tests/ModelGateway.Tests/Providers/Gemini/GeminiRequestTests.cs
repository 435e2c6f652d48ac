using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Gemini.GeminiTestClient;

namespace ModelGateway.Tests.Providers.Gemini;

public sealed class GeminiRequestTests
{
    [Fact]
    public async Task GetResponseAsync_Gemini_PostsToGenerateContentWithApiKeyHeader()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateGemini(server, o => o.Headers["x-goog-user-project"] = "billing");

        await client.GetResponseAsync("Hi", Options());

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", request.PathAndQuery);
        Assert.Equal(ApiKey, request.Header("x-goog-api-key"));
        Assert.Equal("billing", request.Header("x-goog-user-project"));
        Assert.Null(request.Header("authorization"));
        AssertJsonEqual("""{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""", request.BodyText);
    }

    [Fact]
    public async Task GetResponseAsync_ApiVersionAndTunedModel_ShapeThePath()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateGemini(server, o => o.ApiVersion = "v1");

        await client.GetResponseAsync("Hi", Options("tunedModels/my-tune"));

        Assert.Equal("/v1/tunedModels/my-tune:generateContent", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Vertex_PostsToPublisherModelWithBearerToken()
    {
        await using LoopbackServer server = await ServeSseAsync("""{"candidates":[{"content":{"role":"model","parts":[{"text":"ok"}]},"finishReason":"STOP"}]}""");
        using IChatClient client = CreateVertex(server, o =>
        {
            o.AccessToken = null;
            o.TokenProvider = _ => ValueTask.FromResult("fresh-token");
        });

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Hi", Options("gemini-2.5-pro")))
        {
        }

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse", request.PathAndQuery);
        Assert.Equal("Bearer fresh-token", request.Header("authorization"));
        Assert.Null(request.Header("x-goog-api-key"));
    }

    [Fact]
    public async Task GetResponseAsync_VertexAccessToken_IsSentAsBearer()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateVertex(server);

        await client.GetResponseAsync("Hi", Options());

        Assert.Equal("Bearer ya29.test-token", Assert.Single(server.Requests).Header("authorization"));
    }

    [Theory]
    [InlineData("us-central1", "https://us-central1-aiplatform.googleapis.com/")]
    [InlineData("global", "https://aiplatform.googleapis.com/")]
    public void CreateVertex_WithoutBaseUrl_UsesTheLocationsHost(string location, string expectedHost)
    {
        using IChatClient client = CreateVertex(server: null, o => o.Location = location);

        ChatClientMetadata metadata = client.GetService<ChatClientMetadata>()!;

        Assert.Equal(new Uri(expectedHost), metadata.ProviderUri);
    }

    [Fact]
    public void CreateVertex_WithoutProject_FailsAtStartUp()
    {
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => CreateVertex(server: null, o => o.Project = null));

        Assert.Contains("Project", ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_VertexWithoutToken_ThrowsAuthenticationWithoutCalling()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateVertex(server, o => o.AccessToken = null);

        ProviderException ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options()));

        Assert.Equal(ProviderErrorKind.Authentication, ex.Kind);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_MapsEveryOption()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateGemini(server);
        var options = new ChatOptions
        {
            ModelId = "gemini-2.5-flash",
            Instructions = "You are terse.",
            MaxOutputTokens = 512,
            Temperature = 0.5f,
            TopP = 0.25f,
            TopK = 40,
            Seed = 7,
            StopSequences = ["END"],
            ResponseFormat = ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement, "Out"),
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low, Output = ReasoningOutput.Full },
            Tools = [AIFunctionFactory.Create((string city) => "18C", "get_weather", "Gets the weather.")],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AdditionalProperties = new() { ["safetySettings"] = new[] { new Dictionary<string, object?> { ["category"] = "HARM_CATEGORY_HARASSMENT", ["threshold"] = "BLOCK_ONLY_HIGH" } } },
        };
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Answer in French."),
            new(ChatRole.User, [new TextContent("Describe"), new DataContent(new byte[] { 1, 2, 3 }, "image/png"), new UriContent(new Uri("gs://bucket/cat.jpg"), "image/jpeg")]),
        ];

        await client.GetResponseAsync(messages, options);

        AssertJsonEqual("""
            {"contents":[{"role":"user","parts":[{"text":"Describe"},{"inlineData":{"mimeType":"image/png","data":"AQID"}},{"fileData":{"mimeType":"image/jpeg","fileUri":"gs://bucket/cat.jpg"}}]}],
             "systemInstruction":{"parts":[{"text":"You are terse."},{"text":"Answer in French."}]},
             "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Gets the weather.","parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}},
             "generationConfig":{"temperature":0.5,"topP":0.25,"topK":40,"maxOutputTokens":512,"stopSequences":["END"],"seed":7,
                "responseMimeType":"application/json","responseJsonSchema":{"type":"object","properties":{"a":{"type":"string"}}},
                "thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}},
             "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_ONLY_HIGH"}]}
            """, Assert.Single(server.Requests).BodyText);
    }

    [Theory]
    [InlineData("auto", """{"functionCallingConfig":{"mode":"AUTO"}}""")]
    [InlineData("any", """{"functionCallingConfig":{"mode":"ANY"}}""")]
    [InlineData("none", """{"functionCallingConfig":{"mode":"NONE"}}""")]
    public async Task GetResponseAsync_MapsToolMode(string mode, string expected)
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateGemini(server);
        ChatOptions options = Options();
        options.Tools = [AIFunctionFactory.Create(() => "x", "noop")];
        options.ToolMode = mode switch { "auto" => ChatToolMode.Auto, "any" => ChatToolMode.RequireAny, _ => ChatToolMode.None };

        await client.GetResponseAsync("Hi", options);

        AssertJsonEqual(expected, JsonNode.Parse(Assert.Single(server.Requests).BodyText)!["toolConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task GetResponseAsync_MultiTurnWithToolResults_UsesModelRoleNamesAndSignatures()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateGemini(server);
        var signedCall = new FunctionCallContent("gemini-call-1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })
        {
            AdditionalProperties = new() { ["thoughtSignature"] = "Cr8B" },
        };
        ChatMessage[] messages =
        [
            new(ChatRole.User, "Weather in Paris and Rome?"),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("unsigned thought is not sent back"),
                signedCall,
                new FunctionCallContent("call_42", "get_weather", new Dictionary<string, object?> { ["city"] = "Rome" }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("gemini-call-1", "18C")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_42", new Dictionary<string, object?> { ["temp"] = 21 })]),
            new(ChatRole.User, "Which is warmer?"),
        ];

        await client.GetResponseAsync(messages, Options());

        AssertJsonEqual("""
            {"contents":[
              {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
              {"role":"model","parts":[
                 {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"Cr8B"},
                 {"functionCall":{"id":"call_42","name":"get_weather","args":{"city":"Rome"}}}]},
              {"role":"user","parts":[
                 {"functionResponse":{"name":"get_weather","response":{"output":"18C"}}},
                 {"functionResponse":{"id":"call_42","name":"get_weather","response":{"output":{"temp":21}}}},
                 {"text":"Which is warmer?"}]}]}
            """, Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task GetResponseAsync_FailedToolCall_SendsErrorKey()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = CreateGemini(server);
        ChatMessage[] messages =
        [
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?>())]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "Error: not found") { Exception = new InvalidOperationException() }]),
        ];

        await client.GetResponseAsync(messages, Options());

        JsonNode part = JsonNode.Parse(Assert.Single(server.Requests).BodyText)!["contents"]![1]!["parts"]![0]!;
        AssertJsonEqual("""{"functionResponse":{"id":"c1","name":"lookup","response":{"error":"Error: not found"}}}""", part.ToJsonString());
    }
}
