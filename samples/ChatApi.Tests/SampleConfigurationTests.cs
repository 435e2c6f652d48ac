using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ModelGateway;

namespace ChatApi.Tests;

/// <summary>The sample's own appsettings files: Development runs on fake providers with no keys, production config is valid.</summary>
public sealed class SampleConfigurationTests
{
    [Fact]
    public async Task Development_RunsOnFakeProvidersWithNoKeys()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsIsAsync("Development");

        HttpResponseMessage response = await host.Client.PostJsonAsync("api/chat", """{"message":"Hello","user_id":"dev"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string reply = (await response.ReadJsonAsync()).GetProperty("reply").GetString()!;
        Assert.StartsWith("Hello from the fake", reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_AppSettings_BindAndValidate_WithNoSecretInTheFile()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        string text = File.ReadAllText(path);
        IConfiguration configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ModelGatewayServiceCollectionExtensions.AddModelGateway(services, configuration.GetSection("ModelGateway"));
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);

        ModelGatewayOptions options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<IOptions<ModelGatewayOptions>>(provider).Value; // throws OptionsValidationException when invalid

        Assert.Equal(["primary-chat", "fallback-chat"], options.Models.Keys.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(["fallback-chat"], options.Models["primary-chat"].Fallbacks);
        Assert.All(options.Providers.Values, p => Assert.Null(p.ApiKey));
        Assert.DoesNotContain("ApiKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sk-", text, StringComparison.Ordinal);
    }
}
