using System.Net;
using System.Text.Json;
using ModelGateway;

namespace ChatApi.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_IsLiveWithoutCallingAnyProvider()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(ProviderErrorKind.Unavailable);

        HttpResponseMessage response = await host.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.Empty(host.Fakes["primary"].Requests);
    }

    [Fact]
    public async Task HealthModels_ReportsEachDeploymentsCounters()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Fail(ProviderErrorKind.Unavailable, 503);
        await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"u-1"}""");

        HttpResponseMessage response = await host.Client.GetAsync("health/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement[] deployments = [.. (await response.ReadJsonAsync()).GetProperty("deployments").EnumerateArray()];
        Assert.Equal(3, deployments.Length);
        JsonElement primary = deployments.Single(d => d.GetProperty("provider").GetString() == "primary");
        Assert.Equal("primary-chat", primary.GetProperty("model").GetString());
        Assert.Equal("gpt-4o-mini", primary.GetProperty("provider_model").GetString());
        Assert.Equal(1, primary.GetProperty("requests").GetInt64());
        Assert.Equal(1, primary.GetProperty("failures").GetInt64());
        Assert.Equal("Unavailable", primary.GetProperty("last_failure_kind").GetString());
        Assert.Equal(JsonValueKind.String, primary.GetProperty("last_failure_at").ValueKind);
        JsonElement backup = deployments.Single(d => d.GetProperty("provider").GetString() == "backup");
        Assert.Equal(1, backup.GetProperty("requests").GetInt64());
        Assert.Equal(0, backup.GetProperty("failures").GetInt64());
    }
}
