using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Telemetry;

/// <summary>
/// The real OpenAI and Anthropic providers against a loopback server that answers success and every error class (and echoes
/// the key back in its error messages, as some providers do), with every log category at Trace, content on, and a listener
/// on every activity source: the configured keys must appear nowhere.
/// </summary>
[Collection(TelemetryTestCollection.Name)]
public sealed class TelemetrySecretsTests
{
    private const string OpenAIKey = "sk-openai-SECRET-4f9a8b7c6d5e";
    private const string AnthropicKey = "sk-ant-SECRET-1a2b3c4d5e6f";

    public static TheoryData<string> Scenarios => ["success", "stream", "429", "408", "503", "529", "401", "403", "404", "context", "filter", "400", "malformed"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ApiKeys_NeverAppearInLogsExceptionsOrSpans(string scenario)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context => Answer(context, scenario));
        var logs = new TestLoggerProvider();
        using var traces = new ActivityCollector(allSources: true);
        using TestGateway gateway = TestGateway.Create(Config(server.BaseAddress), fakes: false, configure: b =>
            b.Services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var failures = new List<Exception>();

        foreach (string alias in new[] { "gpt", "claude" })
        {
            try
            {
                var options = new ChatOptions { ModelId = alias }.WithUser("u-1");
                if (scenario == "stream")
                {
                    await foreach (ChatResponseUpdate _ in gateway.Client.GetStreamingResponseAsync("Hello there", options))
                    {
                    }
                }
                else
                {
                    await gateway.Client.GetResponseAsync("Hello there", options);
                }
            }
            catch (ModelGatewayException exception)
            {
                failures.Add(exception);
            }
        }

        Assert.Equal(scenario is "success" or "stream" ? 0 : 2, failures.Count);
        Assert.Contains(logs.Gateway, r => r.Level >= LogLevel.Information); // the gateway did log
        Assert.Contains(traces.Stopped, a => a.Source.Name == "ModelGateway"); // and trace
        Assert.True(server.Requests.Count >= 2);
        Assert.All(server.Requests, r => Assert.True(r.Header("Authorization") == "Bearer " + OpenAIKey || r.Header("x-api-key") == AnthropicKey));

        // The default HttpClient loggers of the gateway's named client are removed (they keep raw headers at Trace).
        Assert.DoesNotContain(logs.Records, r => r.Category.StartsWith("System.Net.Http.HttpClient.ModelGateway", StringComparison.Ordinal));

        string everything = Dump(logs, traces, failures);
        Assert.DoesNotContain(OpenAIKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(AnthropicKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", everything, StringComparison.Ordinal);
    }

    private static string Dump(TestLoggerProvider logs, ActivityCollector traces, List<Exception> failures)
    {
        var text = new StringBuilder();
        foreach (LogRecord record in logs.Records)
        {
            text.AppendLine(record.AllText);
        }

        foreach (Activity activity in traces.Stopped)
        {
            text.AppendLine(activity.DisplayName).AppendLine(activity.StatusDescription);
            foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
            {
                text.Append(tag.Key).Append('=').AppendLine(tag.Value is string[] array ? string.Join(",", array) : Convert.ToString(tag.Value));
            }

            foreach (ActivityEvent e in activity.Events)
            {
                text.AppendLine(e.Name);
                foreach (KeyValuePair<string, object?> tag in e.Tags)
                {
                    text.Append(tag.Key).Append('=').AppendLine(Convert.ToString(tag.Value));
                }
            }
        }

        foreach (Exception failure in failures)
        {
            text.AppendLine(failure.ToString());
            if (failure is ModelGatewayException { Attempts: { } attempts })
            {
                foreach (GatewayAttempt attempt in attempts)
                {
                    text.AppendLine(attempt.ToString());
                }
            }
        }

        return text.ToString();
    }

    private static Task Answer(HttpContext context, string scenario)
    {
        bool anthropic = context.Request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal);
        string key = anthropic ? AnthropicKey : OpenAIKey;
        return scenario switch
        {
            "success" => Json(context, 200, anthropic
                ? """{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hi!"}],"stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":3}}"""
                : """{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-x","choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"""),
            "stream" => Stream(context, anthropic),
            "429" => Error(context, anthropic, 429, "rate_limit_error", "rate_limit_exceeded", $"Rate limit reached for key {key}"),
            "408" => Error(context, anthropic, 408, "timeout_error", "timeout", $"Request timed out for {key}"),
            "503" => Error(context, anthropic, 503, "api_error", "server_error", $"Service unavailable ({key})"),
            "529" => Error(context, anthropic, 529, "overloaded_error", "overloaded", $"Overloaded ({key})"),
            "401" => Error(context, anthropic, 401, "authentication_error", "invalid_api_key", $"Incorrect API key provided: {key}"),
            "403" => Error(context, anthropic, 403, "permission_error", "forbidden", $"Key {key} may not use this model"),
            "404" => Error(context, anthropic, 404, "not_found_error", "model_not_found", $"No such model for key {key}"),
            "context" => Error(context, anthropic, 400, "invalid_request_error", "context_length_exceeded",
                anthropic ? $"prompt is too long: 210000 tokens > 200000 maximum ({key})" : $"This model's maximum context length is 128000 tokens ({key})"),
            "filter" => Error(context, anthropic, 400, "invalid_request_error", "content_filter", $"Your request was rejected by the safety system ({key})"),
            "400" => Error(context, anthropic, 400, "invalid_request_error", "invalid_value", $"Invalid value for key {key}"),
            "malformed" => Json(context, 200, "{\"id\": \"" + key + "\", \"choices\": [ {\"oops"),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
    }

    private static Task Error(HttpContext context, bool anthropic, int status, string anthropicType, string openAICode, string message) =>
        Json(context, status, anthropic
            ? $$$"""{"type":"error","error":{"type":"{{{anthropicType}}}","message":"{{{message}}}"}}"""
            : $$$"""{"error":{"message":"{{{message}}}","type":"invalid_request_error","param":null,"code":"{{{openAICode}}}"}}""");

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private static async Task Stream(HttpContext context, bool anthropic)
    {
        context.Response.ContentType = "text/event-stream";
        string[] frames = anthropic
            ?
            [
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi!\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            ]
            :
            [
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi!\"},\"finish_reason\":null}]}\n\n",
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-x\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\n",
                "data: [DONE]\n\n",
            ];
        foreach (string frame in frames)
        {
            await context.Response.WriteAsync(frame);
            await context.Response.Body.FlushAsync();
        }
    }

    private static string Config(Uri server) => $$"""
        {
          "ModelGateway": {
            "Providers": {
              "openai": { "Type": "openai", "BaseUrl": "{{server}}v1", "ApiKey": "{{OpenAIKey}}" },
              "anthropic": { "Type": "anthropic", "BaseUrl": "{{server}}", "ApiKey": "{{AnthropicKey}}" }
            },
            "Models": {
              "gpt": { "Deployments": [ { "Provider": "openai", "Model": "gpt-x" } ] },
              "claude": { "Deployments": [ { "Provider": "anthropic", "Model": "claude-x" } ] }
            },
            "Logging": { "IncludeContent": true },
            {{TestGateway.NoDelays}}
          }
        }
        """;
}
