using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ChatApi.Tests;

public sealed class SpendEndpointTests
{
    [Fact]
    public async Task Spend_ByUser_ReportsEachUsersCostAndTokens()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 }; // $0.01 + $0.01 a call
        await host.Client.PostJsonAsync("api/chat", """{"message":"one","user_id":"alice"}""");
        await host.Client.PostJsonAsync("api/chat", """{"message":"two","user_id":"alice"}""");
        await host.Client.PostJsonAsync("api/chat", """{"message":"three","user_id":"bob"}""");

        HttpResponseMessage response = await host.Client.GetAsync("api/spend?by=user");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement report = await response.ReadJsonAsync();
        Assert.Equal("user", report.GetProperty("by").GetString());
        Assert.Equal(0.06m, report.GetProperty("total").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3, report.GetProperty("total").GetProperty("requests").GetInt64());
        JsonElement[] rows = [.. report.GetProperty("breakdown").EnumerateArray()];
        Assert.Equal(["alice", "bob"], rows.Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(0.04m, rows[0].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(2000, rows[0].GetProperty("input_tokens").GetInt64());
        Assert.Equal(1000, rows[0].GetProperty("output_tokens").GetInt64());
        Assert.Equal(0.02m, rows[1].GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Spend_ByFeature_SeparatesTheTwoEndpoints()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 };
        await host.Client.PostJsonAsync("api/chat", """{"message":"hi","user_id":"alice"}""");
        await host.Client.PostJsonAsync("v1/chat/completions", """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}]}""");
        await host.Client.PostJsonAsync("v1/chat/completions", """{"model":"primary-chat","messages":[{"role":"user","content":"hi"}]}""");

        JsonElement report = await (await host.Client.GetAsync("api/spend?by=feature")).ReadJsonAsync();

        JsonElement[] rows = [.. report.GetProperty("breakdown").EnumerateArray()];
        Assert.Equal(("chat_completions", 0.04m), (rows[0].GetProperty("key").GetString(), rows[0].GetProperty("cost_usd").GetDecimal()));
        Assert.Equal(("web_chat", 0.02m), (rows[1].GetProperty("key").GetString(), rows[1].GetProperty("cost_usd").GetDecimal()));
    }

    [Fact]
    public async Task Spend_ForAPeriodBeforeTheCalls_IsZero()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 };
        await host.Client.PostJsonAsync("api/chat", """{"message":"hi","user_id":"alice"}""");

        JsonElement report = await (await host.Client.GetAsync("api/spend?by=team&from=2020-01-01&to=2020-02-01")).ReadJsonAsync();

        Assert.Equal(0m, report.GetProperty("total").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0, report.GetProperty("breakdown").GetArrayLength());
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), report.GetProperty("from").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("api/spend?by=planet", "by")]
    [InlineData("api/spend?from=yesterday", "from")]
    [InlineData("api/spend?from=2026-02-01&to=2026-01-01", "to")]
    public async Task Spend_InvalidQuery_Is400NamingTheParameter(string url, string field)
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();

        HttpResponseMessage response = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.ReadJsonAsync()).GetProperty("errors").GetProperty(field)[0].GetString()));
    }
}
