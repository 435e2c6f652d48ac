using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway;

namespace ChatApi.Tests;

public sealed class ChatCompletionsEndpointTests
{
    [Fact]
    public async Task Completion_OnAnAlias_AnswersInOpenAIFormat()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Usage = new UsageDetails { InputTokenCount = 11, OutputTokenCount = 4, TotalTokenCount = 15 };
        host.Fakes["primary"].Respond("Paris.");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","messages":[{"role":"user","content":"Capital of France?"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        JsonElement body = await response.ReadJsonAsync();
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("id").GetString()));
        Assert.True(body.GetProperty("created").GetInt64() > 1_700_000_000);
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        JsonElement choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Paris.", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal(11, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(15, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("primary-chat", response.Headers.GetValues("x-modelgateway-model").Single());
        Assert.Equal("primary", response.Headers.GetValues("x-modelgateway-provider").Single());

        FakeRequestAssert.SingleRequest(host.Fakes["primary"], "gpt-4o-mini");
    }

    [Fact]
    public async Task Completion_MapsTheRequestFieldsOntoChatOptions()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions", """
            {
              "model": "primary-chat",
              "messages": [
                { "role": "system", "content": "Be brief." },
                { "role": "user", "content": [ { "type": "text", "text": "What is" }, { "type": "text", "text": " 2+2?" } ] }
              ],
              "temperature": 0.2, "top_p": 0.9, "max_completion_tokens": 64, "seed": 7,
              "stop": ["END"], "presence_penalty": 0.5, "frequency_penalty": 0.25,
              "response_format": { "type": "json_object" },
              "tools": [ { "type": "function", "function": { "name": "add", "description": "Adds numbers",
                           "parameters": { "type": "object", "properties": { "a": { "type": "number" } } } } } ],
              "tool_choice": { "type": "function", "function": { "name": "add" } },
              "user": "u-42"
            }
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(host.Fakes["primary"].Requests);
        Assert.Equal(ChatRole.System, request.Messages[0].Role);
        Assert.Equal("Be brief.", request.Messages[0].Text);
        Assert.Equal("What is 2+2?", request.Messages[1].Text);
        ChatOptions options = request.Options!;
        Assert.Equal(0.2f, options.Temperature);
        Assert.Equal(0.9f, options.TopP);
        Assert.Equal(64, options.MaxOutputTokens);
        Assert.Equal(7, options.Seed);
        Assert.Equal(["END"], options.StopSequences!);
        Assert.Equal(0.5f, options.PresencePenalty);
        Assert.Equal(0.25f, options.FrequencyPenalty);
        Assert.IsType<ChatResponseFormatJson>(options.ResponseFormat);
        AIFunctionDeclaration tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(options.Tools!));
        Assert.Equal("add", tool.Name);
        Assert.Equal("Adds numbers", tool.Description);
        Assert.Equal("number", tool.JsonSchema.GetProperty("properties").GetProperty("a").GetProperty("type").GetString());
        Assert.Equal("add", Assert.IsType<RequiredChatToolMode>(options.ToolMode).RequiredFunctionName);

        // The user and feature travel as gateway metadata, which the gateway strips before any provider sees the options.
        Assert.True(options.AdditionalProperties is null || !options.AdditionalProperties.Keys.Any(k => k.StartsWith("modelgateway", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ToolCalls_PassThroughBothWays()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Respond(new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
        });

        HttpResponseMessage first = await host.Client.PostJsonAsync("v1/chat/completions", """
            {"model":"primary-chat","messages":[{"role":"user","content":"Weather in Oslo?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        JsonElement choice = (await first.ReadJsonAsync()).GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("message").GetProperty("content").ValueKind);
        JsonElement call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Oslo", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());

        HttpResponseMessage second = await host.Client.PostJsonAsync("v1/chat/completions", """
            {"model":"primary-chat","messages":[
              {"role":"user","content":"Weather in Oslo?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"-3 C, snow"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        IReadOnlyList<ChatMessage> sent = host.Fakes["primary"].Requests[1].Messages;
        FunctionCallContent sentCall = Assert.IsType<FunctionCallContent>(Assert.Single(sent[1].Contents));
        Assert.Equal(("call_1", "get_weather", "Oslo"), (sentCall.CallId, sentCall.Name, ((JsonElement)sentCall.Arguments!["city"]!).GetString()));
        Assert.Equal(ChatRole.Tool, sent[2].Role);
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(Assert.Single(sent[2].Contents));
        Assert.Equal(("call_1", "-3 C, snow"), (result.CallId, result.Result as string));
    }

    [Fact]
    public async Task UnknownModel_Is404InOpenAIErrorFormat()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"gpt-5-ultra","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        JsonElement error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Contains("gpt-5-ultra", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Fakes["primary"].Requests);
    }

    [Fact]
    public async Task DirectProviderAddress_IsNotServedOverHttp()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary/gpt-4o","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(host.Fakes["primary"].Requests);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"primary-chat"}""", "messages")]
    [InlineData("""{"model":"primary-chat","messages":[]}""", "messages")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"robot","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"user"}]}""", "messages[0].content")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"user","content":[{"type":"video","video":{}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"tool","content":"42"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"user","content":"hi"}],"n":3}""", "n")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"}""", "tool_choice")]
    [InlineData("""{"model":"primary-chat","messages":[{"role":"user","content":"hi"}],"stop":[1,2]}""", "stop")]
    public async Task InvalidRequest_Is400NamingTheField(string json, string param)
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(param.Split('[', '.')[0], error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Fakes["primary"].Requests);
    }

    [Fact]
    public async Task MalformedJson_Is400()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions", """{"model":"primary-chat","messages":[""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("not valid JSON", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrimaryDown_FallbackAnswers()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(ProviderErrorKind.Unavailable, 503);
        host.Fakes["backup"].Respond("From the fallback.");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("From the fallback.", (await response.ReadJsonAsync()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("fallback-chat", response.Headers.GetValues("x-modelgateway-model").Single());
        Assert.Equal("2", response.Headers.GetValues("x-modelgateway-attempts").Single());
    }

    [Theory]
    [InlineData(ProviderErrorKind.Unavailable, 503, HttpStatusCode.BadGateway, "server_error", "provider_error")]
    [InlineData(ProviderErrorKind.Authentication, 401, HttpStatusCode.BadGateway, "server_error", "provider_error")]
    [InlineData(ProviderErrorKind.InvalidResponse, 200, HttpStatusCode.BadGateway, "server_error", "provider_error")]
    [InlineData(ProviderErrorKind.Timeout, 408, HttpStatusCode.GatewayTimeout, "server_error", "timeout")]
    [InlineData(ProviderErrorKind.RateLimited, 429, HttpStatusCode.TooManyRequests, "rate_limit_error", "rate_limit_exceeded")]
    public async Task EveryOptionFailing_MapsToTheStatusOfTheFailure(ProviderErrorKind kind, int providerStatus, HttpStatusCode expected, string type, string code)
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(kind, providerStatus, TimeSpan.FromSeconds(3), message: "upstream said: invalid key sk-SECRET-123 at https://internal.example");
        host.Fakes["backup"].Fail(kind, providerStatus, TimeSpan.FromSeconds(3), message: "upstream said: invalid key sk-SECRET-123 at https://internal.example");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(expected, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        JsonElement error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("internal.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("backup", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        if (expected == HttpStatusCode.TooManyRequests)
        {
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task MixedFailures_AreABadGateway()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(ProviderErrorKind.Unavailable, 503);
        host.Fakes["backup"].Fail(ProviderErrorKind.Timeout, 408);

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Theory]
    [InlineData(ProviderErrorKind.BadRequest, null)]
    [InlineData(ProviderErrorKind.ContextWindowExceeded, "context_length_exceeded")]
    [InlineData(ProviderErrorKind.ContentFiltered, "content_filter")]
    public async Task ProviderRejectingTheRequest_Is400(ProviderErrorKind kind, string? code)
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(kind, 400, message: "raw provider text with sk-SECRET");
        host.Fakes["backup"].Fail(kind, 400, message: "raw provider text with sk-SECRET");

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        JsonElement error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayRateLimit_Is429WithRetryAfter()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync(gateway => gateway.UseMiddleware(static (inner, _) =>
            new ThrowingChatClient(inner, new RateLimitExceededException(LimitScope.User, "u-1", TimeSpan.FromSeconds(6.2)))));

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}],"user":"u-1"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        JsonElement error = (await response.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Empty(host.Fakes["primary"].Requests);
    }

    [Fact]
    public async Task UnexpectedFailure_Is500WithoutDetails()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync(gateway => gateway.UseMiddleware(static (inner, _) =>
            new ThrowingChatClient(inner, new InvalidOperationException("connection string Password=hunter2"))));

        HttpResponseMessage response = await host.Client.PostJsonAsync("v1/chat/completions",
            """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal("internal_error", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }
}
