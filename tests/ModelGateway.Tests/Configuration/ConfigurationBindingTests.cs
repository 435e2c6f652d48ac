using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Configuration;

public class ConfigurationBindingTests
{
    // Every key of CONFIGURATION.md, with non-default values so a key that does not bind shows up.
    private const string FullConfiguration = """
    {
      "ModelGateway": {
        "DefaultModel": "primary-chat",
        "AllowDirectProviderModels": false,
        "Providers": {
          "openai":     { "Type": "fake", "ApiKey": "sk-test", "Organization": "org-1", "Project": "proj-1" },
          "azure-east": { "Type": "fake", "Endpoint": "https://east.openai.azure.com", "ApiKey": "az", "ApiVersion": "2024-10-21" },
          "vertex":     { "Type": "fake", "Project": "p", "Location": "us-central1", "AccessToken": "tok" },
          "bedrock":    { "Type": "fake", "Region": "us-east-1", "AccessKeyId": "AKID", "SecretAccessKey": "secret", "SessionToken": null },
          "local":      { "Type": "fake", "BaseUrl": "http://localhost:11434/v1", "SendStreamOptions": false,
                          "MaxTokensParameter": "max_tokens", "Headers": { "X-Custom": "1" }, "Timeout": "00:00:15", "Beta": "b1" },
          "demo":       { "Type": "fake", "Echo": true, "Latency": "00:00:00.050", "FailureRate": 0.25,
                          "Responses": [ "canned answer 1", "canned answer 2" ],
                          "Usage": { "InputTokens": 12, "OutputTokens": 5 } }
        },
        "Models": {
          "primary-chat": {
            "Routing": "LeastBusy",
            "Deployments": [
              { "Provider": "azure-east", "Model": "gpt-4o-mini", "Weight": 9, "Rpm": 600, "Tpm": 200000, "MaxInputTokens": 128000,
                "Pricing": { "InputPerMillion": 0.15, "OutputPerMillion": 0.60, "CachedInputPerMillion": 0.075, "CacheWritePerMillion": 0.2 } },
              { "Provider": "openai", "Model": "gpt-4o-mini", "Weight": 1 }
            ],
            "Fallbacks": [ "fallback-chat" ],
            "ContextWindowFallbacks": [ "long-context" ],
            "ContentPolicyFallbacks": [ "fallback-chat" ],
            "Defaults": { "Temperature": 0.3, "TopP": 0.9, "MaxOutputTokens": 1024, "SystemPrompt": "Be brief." },
            "Routes": [
              { "When": { "Tags": [ "free" ] }, "Model": "fallback-chat" },
              { "When": { "MinInputTokens": 8000 }, "Model": "long-context" },
              { "When": { "Feature": "summarize", "User": "u1", "Team": "t1" }, "Model": "fallback-chat" }
            ]
          },
          "fallback-chat": { "Deployments": [ { "Provider": "demo", "Model": "m" } ] },
          "long-context": { "Deployments": [ { "Provider": "local", "Model": "big" } ] }
        },
        "Resilience": {
          "MaxRetries": 4, "AttemptTimeout": "00:00:21", "TotalTimeout": "00:01:01", "FirstTokenTimeout": "00:00:11",
          "StreamIdleTimeout": "00:00:31", "BaseDelay": "00:00:00.250", "MaxDelay": "00:00:09", "MaxRetryAfter": "00:00:29",
          "Cooldown": { "FailureThreshold": 5, "SamplingWindow": "00:02:00", "Duration": "00:00:45" },
          "OnAllFailed": { "Message": "Sorry" }
        },
        "Cache": { "Enabled": true, "Ttl": "02:00:00", "Scope": "Team", "CacheStreaming": false },
        "Pricing": { "gpt-4o-mini": { "InputPerMillion": 0.15, "OutputPerMillion": 0.60 } },
        "Budgets": [
          { "Scope": "Team", "Key": "search", "LimitUsd": 100, "Period": "Monthly" },
          { "Scope": "User", "Key": "*", "LimitUsd": 2, "Period": "Daily" },
          { "Scope": "Global", "LimitUsd": 5000, "Period": "Total" }
        ],
        "RateLimits": [ { "Scope": "User", "Key": "*", "RequestsPerMinute": 60, "TokensPerMinute": 100000 } ],
        "Logging": { "IncludeContent": true }
      }
    }
    """;

    [Fact]
    public void AddModelGateway_FromJson_BindsEveryDocumentedKey()
    {
        var services = new ServiceCollection();
        services.AddModelGateway(TestGateway.Json(FullConfiguration).GetSection("ModelGateway"));
        using ServiceProvider provider = services.BuildServiceProvider();

        ModelGatewayOptions o = provider.GetRequiredService<IOptions<ModelGatewayOptions>>().Value;

        Assert.Equal("primary-chat", o.DefaultModel);
        Assert.False(o.AllowDirectProviderModels);
        Assert.Equal("sk-test", o.Providers["OPENAI"].ApiKey); // keys are case-insensitive
        Assert.Equal("openai", o.Providers["openai"].Name);
        Assert.Equal(("org-1", "proj-1"), (o.Providers["openai"].Organization, o.Providers["openai"].Project));
        Assert.Equal(("https://east.openai.azure.com", "2024-10-21"), (o.Providers["azure-east"].Endpoint, o.Providers["azure-east"].ApiVersion));
        Assert.Equal(("p", "us-central1", "tok"), (o.Providers["vertex"].Project, o.Providers["vertex"].Location, o.Providers["vertex"].AccessToken));
        ProviderOptions bedrock = o.Providers["bedrock"];
        Assert.Equal(("us-east-1", "AKID", "secret"), (bedrock.Region, bedrock.AccessKeyId, bedrock.SecretAccessKey));
        Assert.Null(bedrock.SessionToken);
        ProviderOptions local = o.Providers["local"];
        Assert.Equal("http://localhost:11434/v1", local.BaseUrl);
        Assert.False(local.SendStreamOptions);
        Assert.Equal("max_tokens", local.MaxTokensParameter);
        Assert.Equal("1", local.Headers["x-custom"]);
        Assert.Equal(TimeSpan.FromSeconds(15), local.Timeout);
        Assert.Equal("b1", local.Beta);
        ProviderOptions demo = o.Providers["demo"];
        Assert.True(demo.Echo);
        Assert.Equal(TimeSpan.FromMilliseconds(50), demo.Latency);
        Assert.Equal(0.25, demo.FailureRate);
        Assert.Equal(["canned answer 1", "canned answer 2"], demo.Responses);
        Assert.Equal((12L, 5L), (demo.Usage.InputTokens!.Value, demo.Usage.OutputTokens!.Value));

        ModelGroupOptions chat = o.Models["primary-chat"];
        Assert.Equal(RoutingStrategy.LeastBusy, chat.Routing);
        DeploymentOptions first = chat.Deployments[0];
        Assert.Equal(("azure-east", "gpt-4o-mini", 9d, 600, 200000, 128000), (first.Provider, first.Model, first.Weight, first.Rpm!.Value, first.Tpm!.Value, first.MaxInputTokens!.Value));
        Assert.Equal((0.15m, 0.60m, 0.075m, 0.2m), (first.Pricing!.InputPerMillion!.Value, first.Pricing.OutputPerMillion!.Value, first.Pricing.CachedInputPerMillion!.Value, first.Pricing.CacheWritePerMillion!.Value));
        Assert.Equal(1d, chat.Deployments[1].Weight);
        Assert.Equal(["fallback-chat"], chat.Fallbacks);
        Assert.Equal(["long-context"], chat.ContextWindowFallbacks);
        Assert.Equal(["fallback-chat"], chat.ContentPolicyFallbacks);
        Assert.Equal((0.3f, 0.9f, 1024, "Be brief."), (chat.Defaults.Temperature!.Value, chat.Defaults.TopP!.Value, chat.Defaults.MaxOutputTokens!.Value, chat.Defaults.SystemPrompt));
        Assert.Equal(["free"], chat.Routes[0].When.Tags);
        Assert.Equal(8000, chat.Routes[1].When.MinInputTokens);
        Assert.Equal(("summarize", "u1", "t1", "fallback-chat"), (chat.Routes[2].When.Feature, chat.Routes[2].When.User, chat.Routes[2].When.Team, chat.Routes[2].Model));

        ResilienceOptions r = o.Resilience;
        Assert.Equal(4, r.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(21), r.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(61), r.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(11), r.FirstTokenTimeout);
        Assert.Equal(TimeSpan.FromSeconds(31), r.StreamIdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), r.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(9), r.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(29), r.MaxRetryAfter);
        Assert.Equal((5, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(45)), (r.Cooldown.FailureThreshold, r.Cooldown.SamplingWindow, r.Cooldown.Duration));
        Assert.Equal("Sorry", r.OnAllFailed.Message);

        Assert.Equal((true, TimeSpan.FromHours(2), CacheScope.Team, false), (o.Cache.Enabled, o.Cache.Ttl, o.Cache.Scope, o.Cache.CacheStreaming));
        Assert.Equal(0.60m, o.Pricing["gpt-4o-mini"].OutputPerMillion);
        Assert.Equal(3, o.Budgets.Count);
        Assert.Equal((LimitScope.User, "*", 2m, BudgetPeriod.Daily), (o.Budgets[1].Scope, o.Budgets[1].Key, o.Budgets[1].LimitUsd, o.Budgets[1].Period));
        Assert.Equal((LimitScope.Global, BudgetPeriod.Total), (o.Budgets[2].Scope, o.Budgets[2].Period));
        Assert.Equal((LimitScope.User, "*", 60, 100000), (o.RateLimits[0].Scope, o.RateLimits[0].Key, o.RateLimits[0].RequestsPerMinute!.Value, o.RateLimits[0].TokensPerMinute!.Value));
        Assert.True(o.Logging.IncludeContent);
    }

    [Fact]
    public void AddModelGateway_FromEnvironmentVariables_BindsNestedKeys()
    {
        string prefix = "MGTEST_" + Guid.NewGuid().ToString("N")[..8] + "_";
        var variables = new Dictionary<string, string>
        {
            ["ModelGateway__DefaultModel"] = "chat",
            ["ModelGateway__Providers__openai__Type"] = "fake",
            ["ModelGateway__Providers__openai__ApiKey"] = "sk-from-env",
            ["ModelGateway__Models__chat__Deployments__0__Provider"] = "openai",
            ["ModelGateway__Models__chat__Deployments__0__Model"] = "gpt-4o-mini",
            ["ModelGateway__Resilience__MaxRetries"] = "5",
        };
        try
        {
            foreach ((string key, string value) in variables)
            {
                Environment.SetEnvironmentVariable(prefix + key, value);
            }

            IConfiguration configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var services = new ServiceCollection();
            services.AddSingleton(configuration);
            services.AddModelGateway();
            using ServiceProvider provider = services.BuildServiceProvider();

            ModelGatewayOptions options = provider.GetRequiredService<IOptions<ModelGatewayOptions>>().Value;

            Assert.Equal("sk-from-env", options.Providers["openai"].ApiKey);
            Assert.Equal("gpt-4o-mini", options.Models["chat"].Deployments[0].Model);
            Assert.Equal(5, options.Resilience.MaxRetries);
        }
        finally
        {
            foreach (string key in variables.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + key, null);
            }
        }
    }

    [Fact]
    public void AddModelGateway_InCode_AppliesAfterConfiguration()
    {
        var services = new ServiceCollection();
        services.AddModelGateway(TestGateway.Json("""
            { "ModelGateway": { "Providers": { "p": { "Type": "fake" } },
              "Models": { "chat": { "Deployments": [ { "Provider": "p", "Model": "m" } ] } } } }
            """).GetSection("ModelGateway"))
            .Configure(o =>
            {
                o.DefaultModel = "chat";
                o.Resilience.MaxRetries = 7;
            });
        using ServiceProvider provider = services.BuildServiceProvider();

        ModelGatewayOptions options = provider.GetRequiredService<IOptions<ModelGatewayOptions>>().Value;

        Assert.Equal("chat", options.DefaultModel);
        Assert.Equal(7, options.Resilience.MaxRetries);
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var options = new ModelGatewayOptions();

        Assert.True(options.AllowDirectProviderModels);
        Assert.Equal(2, options.Resilience.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Resilience.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Resilience.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Resilience.FirstTokenTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Resilience.StreamIdleTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Resilience.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Resilience.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Resilience.MaxRetryAfter);
        Assert.Equal(3, options.Resilience.Cooldown.FailureThreshold);
        Assert.False(options.Cache.Enabled);
        Assert.Equal(TimeSpan.FromHours(1), options.Cache.Ttl);
        Assert.True(options.Cache.CacheStreaming);
        Assert.Equal(RoutingStrategy.Weighted, new ModelGroupOptions().Routing);
        Assert.Equal(1d, new DeploymentOptions().Weight);
        Assert.True(new ProviderOptions().SendStreamOptions);
    }
}
