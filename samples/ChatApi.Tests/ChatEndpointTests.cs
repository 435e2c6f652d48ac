using System.Net;
using System.Text.Json;
using ModelGateway;

namespace ChatApi.Tests;

public sealed class ChatEndpointTests
{
    [Fact]
    public async Task Chat_AnswersFromPrimaryChat()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Respond("Hi there!");

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.ReadJsonAsync();
        Assert.Equal("Hi there!", body.GetProperty("reply").GetString());
        Assert.Equal("primary-chat", body.GetProperty("model_used").GetString());
        Assert.Equal("Hello", Assert.Single(host.Fakes["primary"].Requests).LastUserText);
    }

    [Fact]
    public async Task Chat_PrimaryDown_FallbackChatAnswers()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(ProviderErrorKind.RateLimited, 429);
        host.Fakes["backup"].Respond("Fallback here.");

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.ReadJsonAsync();
        Assert.Equal("Fallback here.", body.GetProperty("reply").GetString());
        Assert.Equal("fallback-chat", body.GetProperty("model_used").GetString());
    }

    [Fact]
    public async Task Chat_PassesUserAndFeatureAsGatewayMetadata()
    {
        // primary-chat routes user "vip-user" on feature "web_chat" to vip-chat: only metadata can make that happen.
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["vip"].Respond("VIP answer.");

        HttpResponseMessage vip = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"vip-user"}""");
        HttpResponseMessage other = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"someone-else"}""");

        Assert.Equal("vip-chat", (await vip.ReadJsonAsync()).GetProperty("model_used").GetString());
        Assert.Equal("primary-chat", (await other.ReadJsonAsync()).GetProperty("model_used").GetString());
        Assert.Single(host.Fakes["vip"].Requests);
    }

    [Theory]
    [InlineData("""{"user_id":"u-1"}""", "message")]
    [InlineData("""{"message":"   ","user_id":"u-1"}""", "message")]
    [InlineData("""{"message":"hi"}""", "user_id")]
    [InlineData("""{"message":"hi","user_id":""}""", "user_id")]
    [InlineData("""{"message":"hi","user_id":"robert'); DROP TABLE"}""", "user_id")]
    [InlineData("""{"message":"hi","user_id":"0123456789012345678901234567890123456789012345678901234567890123456789"}""", "user_id")]
    [InlineData("""{"message":"hi","user_id":42}""", "body")]
    [InlineData("""{"message":"hi",""", "body")]
    [InlineData("null", "body")]
    public async Task Chat_InvalidInput_Is400NamingTheField(string json, string field)
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.False(string.IsNullOrEmpty(errors.GetProperty(field)[0].GetString()));
        Assert.Empty(host.Fakes["primary"].Requests);
    }

    [Fact]
    public async Task Chat_MessageTooLong_SaysTheLimit()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        string message = new('x', Chat.ChatEndpoint.MaxMessageLength + 1);

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", $$"""{"message":"{{message}}","user_id":"u-1"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string error = (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("message")[0].GetString()!;
        Assert.Contains("4000", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProviderErrorKind.Unavailable, HttpStatusCode.BadGateway)]
    [InlineData(ProviderErrorKind.Authentication, HttpStatusCode.BadGateway)]
    [InlineData(ProviderErrorKind.Timeout, HttpStatusCode.GatewayTimeout)]
    public async Task Chat_EveryOptionFailing_IsNeverARaw500(ProviderErrorKind kind, HttpStatusCode expected)
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(kind, message: "sk-SECRET in the provider's words");
        host.Fakes["backup"].Fail(kind, message: "sk-SECRET in the provider's words");

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal((int)expected, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_RateLimited_Is429WithRetryAfter()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync(gateway => gateway.UseMiddleware(static (inner, _) =>
            new ThrowingChatClient(inner, new RateLimitExceededException(LimitScope.User, "u-1", TimeSpan.FromSeconds(30)))));

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", (await response.ReadJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_BudgetSpent_Is429UntilThePeriodResets()
    {
        DateTimeOffset resets = DateTimeOffset.UtcNow.AddHours(2);
        await using ChatApiHost host = await ChatApiHost.StartAsync(gateway => gateway.UseMiddleware((inner, _) =>
            new ThrowingChatClient(inner, new BudgetExceededException(LimitScope.User, "u-1", 2m, 2.01m, resets))));

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2.1));
        Assert.Equal("budget_exceeded", (await response.ReadJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Chat_ConfiguredUserRateLimit_Is429WithRetryAfter()
    {
        string json = ChatApiHost.DefaultConfiguration.Replace(
            "\"Resilience\"", "\"RateLimits\": [ { \"Scope\": \"User\", \"Key\": \"*\", \"RequestsPerMinute\": 1 } ], \"Resilience\"", StringComparison.Ordinal);
        await using ChatApiHost host = await ChatApiHost.StartAsync(json);

        HttpResponseMessage first = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");
        HttpResponseMessage second = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");
        HttpResponseMessage otherUser = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-2"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
    }

    [Fact]
    public async Task Chat_ConfiguredUserBudgetSpent_Is429()
    {
        string json = ChatApiHost.DefaultConfiguration.Replace(
            "\"Resilience\"", "\"Budgets\": [ { \"Scope\": \"User\", \"Key\": \"*\", \"LimitUsd\": 0.01, \"Period\": \"Daily\" } ], \"Resilience\"", StringComparison.Ordinal);
        await using ChatApiHost host = await ChatApiHost.StartAsync(json);
        host.Fakes["primary"].Usage = new Microsoft.Extensions.AI.UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 }; // $0.02 a call

        HttpResponseMessage first = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");
        HttpResponseMessage second = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("budget_exceeded", (await second.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Single(host.Fakes["primary"].Requests);
    }
}
