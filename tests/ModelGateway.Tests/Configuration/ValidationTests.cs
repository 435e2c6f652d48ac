using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Configuration;

public class ValidationTests
{
    private const string ValidProviders = "'Providers': { 'openai': { 'Type': 'fake' }, 'backup': { 'Type': 'fake' } }";

    private static string Q(string singleQuoted) => singleQuoted.Replace('\'', '"');

    public static TheoryData<string, string> InvalidConfigurations => new()
    {
        {
            Q("{ 'Providers': { 'openai': { 'Type': 'opnai' } }, 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } } }"),
            "ModelGateway:Providers:openai:Type 'opnai' is not a known provider type"
        },
        {
            Q("{ 'Providers': { 'openai': { } }, 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } } }"),
            "ModelGateway:Providers:openai:Type is required"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'azur', 'Model': 'gpt-4o-mini' } ] } } }"),
            "ModelGateway:Models:chat:Deployments:0:Provider 'azur' is not a configured provider"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai' } ] } } }"),
            "ModelGateway:Models:chat:Deployments:0:Model is required"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ], 'Fallbacks': [ 'nope' ] } } }"),
            "ModelGateway:Models:chat:Fallbacks:0 'nope' is not a configured model"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ], 'ContextWindowFallbacks': [ 'long' ] } } }"),
            "ModelGateway:Models:chat:ContextWindowFallbacks:0 'long' is not a configured model"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ], 'ContentPolicyFallbacks': [ 'safe' ] } } }"),
            "ModelGateway:Models:chat:ContentPolicyFallbacks:0 'safe' is not a configured model"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ], 'Routes': [ { 'When': { 'Feature': 'x' }, 'Model': 'cheap' } ] } } }"),
            "ModelGateway:Models:chat:Routes:0:Model 'cheap' is not a configured model"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { " +
                "'a': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ], 'Fallbacks': [ 'b' ] }, " +
                "'b': { 'Deployments': [ { 'Provider': 'backup', 'Model': 'm' } ], 'Fallbacks': [ 'c' ] }, " +
                "'c': { 'Deployments': [ { 'Provider': 'backup', 'Model': 'm' } ], 'Fallbacks': [ 'a' ] } } }"),
            "forms a cycle: a → b → c → a"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'a': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ], 'Fallbacks': [ 'a' ] } } }"),
            "ModelGateway:Models:a:Fallbacks:0 'a' falls back to the alias itself"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ ] } } }"),
            "ModelGateway:Models:chat:Deployments must list at least one deployment"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Routing': 'Priority' } } }"),
            "ModelGateway:Models:chat:Deployments must list at least one deployment"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm', 'Weight': -1 } ] } } }"),
            "ModelGateway:Models:chat:Deployments:0:Weight must be zero or positive"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm', 'Weight': 0 }, { 'Provider': 'backup', 'Model': 'm', 'Weight': 0 } ] } } }"),
            "ModelGateway:Models:chat:Deployments: every Weight is 0"
        },
        {
            Q("{ 'DefaultModel': 'primary', " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } } }"),
            "ModelGateway:DefaultModel 'primary' is not a configured model"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } }, 'Resilience': { 'AttemptTimeout': '20s' } }"),
            "ModelGateway:Resilience:AttemptTimeout"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } }, 'Resilience': { 'TotalTimeout': '-00:00:01' } }"),
            "ModelGateway:Resilience:TotalTimeout must be positive"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm', 'Pricing': { 'InputPerMillion': -0.1 } } ] } } }"),
            "ModelGateway:Models:chat:Deployments:0:Pricing:InputPerMillion must not be negative"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } }, 'Pricing': { 'gpt-4o': { 'OutputPerMillion': 'ten' } } }"),
            "ModelGateway:Pricing:gpt-4o:OutputPerMillion"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deploymnets': [ { 'Provider': 'openai', 'Model': 'm' } ] } } }"),
            "Deploymnets"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } }, 'Budgets': [ { 'Scope': 'Team', 'LimitUsd': 5 } ] }"),
            "ModelGateway:Budgets:0:Key is required for Scope Team"
        },
        {
            Q("{ " + ValidProviders + ", 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'openai', 'Model': 'm' } ] } }, 'RateLimits': [ { 'Scope': 'Global' } ] }"),
            "ModelGateway:RateLimits:0 must set RequestsPerMinute, TokensPerMinute or both"
        },
        {
            Q("{ 'Providers': { 'p': { 'Type': 'fake', 'FailureRate': 2 } }, 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'p', 'Model': 'm' } ] } } }"),
            "ModelGateway:Providers:p:FailureRate must be between 0 and 1"
        },
        {
            Q("{ 'Providers': { 'p': { 'Type': 'fake', 'BaseUrl': 'not a url' } }, 'Models': { 'chat': { 'Deployments': [ { 'Provider': 'p', 'Model': 'm' } ] } } }"),
            "ModelGateway:Providers:p:BaseUrl is not an absolute http or https URL"
        },
        {
            Q("{ 'Models': { } }"),
            "ModelGateway:Providers must configure at least one provider"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigurations))]
    public void Resolve_InvalidConfiguration_ThrowsNamingTheKey(string section, string expected)
    {
        using TestGateway gateway = TestGateway.Create($$"""{ "ModelGateway": {{section}} }""", fakes: false);

        var error = Assert.Throws<OptionsValidationException>(() => gateway.Services.GetRequiredService<IChatClient>());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_ReportsEveryErrorAtOnce()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "DefaultModel": "x", "Providers": { "p": { "Type": "nope" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "q", "Model": "m" } ] } } } }
            """, fakes: false);

        var error = Assert.Throws<OptionsValidationException>(() => gateway.Services.GetRequiredService<IModelGateway>());

        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public async Task HostStart_InvalidConfiguration_FailsBeforeAnyRequest()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonStream(new MemoryStream("""
            { "ModelGateway": { "Providers": { "p": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "azur", "Model": "m" } ] } } } }
            """u8.ToArray()));
        builder.Services.AddModelGateway();
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ModelGateway:Models:chat:Deployments:0:Provider 'azur' is not a configured provider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomProviderType_IsAcceptedByValidation()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "Providers": { "mine": { "Type": "in-house" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "mine", "Model": "m" } ] } } } }
            """, configure: b => b.AddProviderType("in-house", (_, _) => new Testing.FakeChatClient()), fakes: false);

        Assert.NotNull(gateway.Services.GetRequiredService<IChatClient>());
    }

    [Fact]
    public void InvalidUrl_DoesNotEchoTheValue()
    {
        using TestGateway gateway = TestGateway.Create("""
            { "ModelGateway": { "Providers": { "p": { "Type": "fake", "BaseUrl": "ftp://user:hunter2@host/" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "p", "Model": "m" } ] } } } }
            """, fakes: false);

        var error = Assert.Throws<OptionsValidationException>(() => gateway.Services.GetRequiredService<IChatClient>());

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
