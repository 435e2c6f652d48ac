using Microsoft.Extensions.AI;
using ModelGateway.Providers.Bedrock;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.Bedrock;

/// <summary>Credentials and region from the standard AWS environment variables. Process-wide state, so not run in parallel.</summary>
[Collection(nameof(BedrockEnvironmentTests))]
public sealed class BedrockEnvironmentTests : IDisposable
{
    private const string Model = "amazon.nova-lite-v1:0";
    private const string Answer = """{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}""";

    private static readonly string[] s_variables =
        ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"];

    private readonly Dictionary<string, string?> _saved = [];

    public BedrockEnvironmentTests()
    {
        foreach (string name in s_variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    public void Dispose()
    {
        foreach (KeyValuePair<string, string?> variable in _saved)
        {
            Environment.SetEnvironmentVariable(variable.Key, variable.Value);
        }
    }

    [Fact]
    public async Task GetResponseAsync_EnvironmentAccessKeysAndRegion_SignWithThem()
    {
        Environment.SetEnvironmentVariable("AWS_REGION", "eu-west-3");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "ASIAENV");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "env-secret");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "env-token");
        var time = new ManualTimeProvider();
        var verifier = new AwsSignatureVerifier("ASIAENV", "env-secret", "eu-west-3", "bedrock", time.GetUtcNow());
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, Answer), verifier, time);
        using BedrockChatClient client = server.CreateClient(o =>
        {
            o.Region = null;
            o.AccessKeyId = null;
            o.SecretAccessKey = null;
        });

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        Assert.Equal([null], server.SignatureVerdicts);
        Assert.Equal("env-token", server.Server.Requests.Single().Header("x-amz-security-token"));
    }

    [Fact]
    public async Task GetResponseAsync_EnvironmentBearerToken_IsSentAsBearer()
    {
        Environment.SetEnvironmentVariable("AWS_BEARER_TOKEN_BEDROCK", "env-bedrock-key");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDIGNORED");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "ignored");
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, Answer));
        using BedrockChatClient client = server.CreateClient(o =>
        {
            o.AccessKeyId = null;
            o.SecretAccessKey = null;
        });

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        Assert.Equal("Bearer env-bedrock-key", server.Server.Requests.Single().Header("Authorization"));
    }

    [Fact]
    public async Task GetResponseAsync_ConfiguredKeys_WinOverEnvironment()
    {
        Environment.SetEnvironmentVariable("AWS_BEARER_TOKEN_BEDROCK", "env-bedrock-key");
        var time = new ManualTimeProvider();
        await using BedrockTestServer server = await BedrockTestServer.StartAsync(ctx => BedrockTestServer.WriteJsonAsync(ctx, Answer), BedrockTestServer.Verifier(time), time);
        using BedrockChatClient client = server.CreateClient();

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = Model });

        Assert.Equal([null], server.SignatureVerdicts);
    }

    [Fact]
    public void Constructor_NoCredentialsAnywhere_FailsNamingEveryOption()
    {
        var options = new ProviderOptions { Name = "aws", Type = "bedrock", Region = "us-east-1" };

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new BedrockChatClient(options, new HttpClient(), TimeProvider.System));

        Assert.Contains("AwsCredentialsProvider", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_ACCESS_KEY_ID", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_BEARER_TOKEN_BEDROCK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoRegionAnywhere_FailsNamingTheKey()
    {
        var options = new ProviderOptions { Name = "aws", Type = "bedrock", ApiKey = "k" };

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new BedrockChatClient(options, new HttpClient(), TimeProvider.System));

        Assert.Contains("ModelGateway:Providers:aws:Region", error.Message, StringComparison.Ordinal);
    }
}
