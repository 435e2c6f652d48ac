using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway.Testing;

namespace ModelGateway.Tests.TestUtilities;

/// <summary>Builds a gateway from a JSON configuration with every provider replaced by a fake.</summary>
public sealed class TestGateway : IDisposable
{
    private TestGateway(ServiceProvider services)
    {
        Services = services;
    }

    public ServiceProvider Services { get; }

    public IChatClient Client => Services.GetRequiredService<IChatClient>();

    public FakeProviders Fakes => Services.GetRequiredService<FakeProviders>();

    public IModelGateway Gateway => Services.GetRequiredService<IModelGateway>();

    public static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>Builds a gateway from <paramref name="json"/> (the whole appsettings document) with fake providers.</summary>
    public static TestGateway Create(string json, TimeProvider? time = null, Action<IModelGatewayBuilder>? configure = null, bool fakes = true)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        IModelGatewayBuilder builder = services.AddModelGateway(Json(json).GetSection("ModelGateway"));
        if (fakes)
        {
            builder.UseFakeProviders();
        }

        configure?.Invoke(builder);
        return new TestGateway(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>The zero-retry-delay resilience block tests use so that no retry waits on a clock.</summary>
    public const string NoDelays = """
        "Resilience": { "BaseDelay": "00:00:00", "MaxDelay": "00:00:00" }
        """;

    public void Dispose() => Services.Dispose();
}
