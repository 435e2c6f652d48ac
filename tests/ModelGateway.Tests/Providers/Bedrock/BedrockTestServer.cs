using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ModelGateway.Providers.Bedrock;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.Bedrock;

/// <summary>A loopback Bedrock: rejects requests whose signature AWS would reject, and answers with the test's handler.</summary>
internal sealed class BedrockTestServer : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "us-east-1";

    private BedrockTestServer(LoopbackServer server, ManualTimeProvider time)
    {
        Server = server;
        Time = time;
    }

    public LoopbackServer Server { get; }

    public ManualTimeProvider Time { get; }

    /// <summary>Gets the raw request targets (path and query exactly as sent), in order.</summary>
    public List<string> RawTargets { get; } = [];

    /// <summary>Gets the signature verdicts (null = valid), in order.</summary>
    public List<string?> SignatureVerdicts { get; } = [];

    /// <summary>Starts a server. When <paramref name="verifier"/> is given, a request failing it gets the 403 AWS sends.</summary>
    public static async Task<BedrockTestServer> StartAsync(Func<HttpContext, Task> handler, AwsSignatureVerifier? verifier = null, ManualTimeProvider? time = null)
    {
        time ??= new ManualTimeProvider();
        BedrockTestServer? self = null;
        LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            byte[] body = ((MemoryStream)context.Request.Body).ToArray();
            lock (self!.RawTargets)
            {
                self.RawTargets.Add(context.Features.Get<IHttpRequestFeature>()!.RawTarget);
            }

            if (verifier is not null)
            {
                string? verdict = verifier.Verify(context, body);
                lock (self.SignatureVerdicts)
                {
                    self.SignatureVerdicts.Add(verdict);
                }

                if (verdict is not null)
                {
                    context.Response.StatusCode = 403;
                    context.Response.Headers["x-amzn-ErrorType"] = "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/";
                    await context.Response.WriteAsync("{\"message\":\"The request signature we calculated does not match the signature you provided.\"}");
                    return;
                }
            }

            await handler(context);
        });
        self = new BedrockTestServer(server, time);
        return self;
    }

    public static AwsSignatureVerifier Verifier(ManualTimeProvider time, string accessKeyId = AccessKeyId, string secretAccessKey = SecretAccessKey) =>
        new(accessKeyId, secretAccessKey, Region, "bedrock", time.GetUtcNow());

    public ProviderOptions Options(Action<ProviderOptions>? configure = null)
    {
        var options = new ProviderOptions
        {
            Name = "aws",
            Type = "bedrock",
            BaseUrl = Server.BaseAddress.ToString(),
            Region = Region,
            AccessKeyId = AccessKeyId,
            SecretAccessKey = SecretAccessKey,
        };
        configure?.Invoke(options);
        return options;
    }

    public BedrockChatClient CreateClient(Action<ProviderOptions>? configure = null) => new(Options(configure), new HttpClient(), Time);

    public static async Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-RequestId"] = "req-1";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
    }

    public static async Task WriteFramesAsync(HttpContext context, params byte[][] frames)
    {
        StartEventStream(context);
        foreach (byte[] frame in frames)
        {
            await context.Response.Body.WriteAsync(frame);
            await context.Response.Body.FlushAsync();
        }
    }

    public static void StartEventStream(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/vnd.amazon.eventstream";
        context.Response.Headers["x-amzn-RequestId"] = "req-1";
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
