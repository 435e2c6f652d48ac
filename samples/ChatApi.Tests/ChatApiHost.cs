using System.Text;
using ChatApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelGateway;
using ModelGateway.Testing;

namespace ChatApi.Tests;

/// <summary>
/// The ChatApi sample running for real: Kestrel on 127.0.0.1 with an ephemeral port, the configuration given (and no
/// other: no appsettings files, no environment variables), every provider replaced by a scriptable fake.
/// </summary>
internal sealed class ChatApiHost : IAsyncDisposable
{
    /// <summary>Two aliases as in production: <c>primary-chat</c> (provider <c>primary</c>) falling back to <c>fallback-chat</c> (<c>backup</c>).</summary>
    public const string DefaultConfiguration = """
        {
          "ModelGateway": {
            "DefaultModel": "primary-chat",
            "AllowDirectProviderModels": false,
            "Providers": {
              "primary": { "Type": "openai" },
              "backup":  { "Type": "anthropic" },
              "vip":     { "Type": "openai" }
            },
            "Models": {
              "primary-chat": {
                "Deployments": [ { "Provider": "primary", "Model": "gpt-4o-mini",
                                   "Pricing": { "InputPerMillion": 10, "OutputPerMillion": 20 } } ],
                "Fallbacks": [ "fallback-chat" ],
                "Routes": [ { "When": { "User": "vip-user", "Feature": "web_chat" }, "Model": "vip-chat" } ]
              },
              "fallback-chat": { "Deployments": [ { "Provider": "backup", "Model": "claude-sonnet-4-20250514" } ] },
              "vip-chat": { "Deployments": [ { "Provider": "vip", "Model": "gpt-4o" } ] }
            },
            "Resilience": { "MaxRetries": 0, "BaseDelay": "00:00:00.001", "MaxDelay": "00:00:00.001" }
          }
        }
        """;

    private readonly WebApplication _app;

    private ChatApiHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>Gets the server's root address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets a client for the server.</summary>
    public HttpClient Client { get; }

    /// <summary>Gets the fakes standing in for the configured providers, by provider name.</summary>
    public FakeProviders Fakes => _app.Services.GetRequiredService<FakeProviders>();

    /// <summary>Gets the app's services.</summary>
    public IServiceProvider Services => _app.Services;

    public static Task<ChatApiHost> StartAsync(Action<IModelGatewayBuilder>? configureGateway = null) =>
        StartAsync(DefaultConfiguration, configureGateway);

    public static async Task<ChatApiHost> StartAsync(string json, Action<IModelGatewayBuilder>? configureGateway = null, IDictionary<string, string?>? settings = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();

        WebApplication app = ChatApiApp.Build(builder, gateway =>
        {
            gateway.UseFakeProviders();
            configureGateway?.Invoke(gateway);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new ChatApiHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Starts the sample exactly as <c>dotnet run</c> does in an environment: its own appsettings files, no fakes injected.</summary>
    public static async Task<ChatApiHost> StartAsIsAsync(string environment)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--urls", "http://127.0.0.1:0"],
        });
        builder.Logging.ClearProviders();
        WebApplication app = ChatApiApp.Build(builder);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new ChatApiHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
