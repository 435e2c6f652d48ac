using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = OpenAI.Chat.ChatMessage;
using ChatResponseFormat = OpenAI.Chat.ChatResponseFormat;
using ChatFinishReason = OpenAI.Chat.ChatFinishReason;

namespace ChatApi.Tests;

/// <summary>The official OpenAI .NET SDK, pointed at the sample, works as it does against api.openai.com.</summary>
public sealed class OpenAISdkTests
{
    [Fact]
    public async Task OpenAISdk_CompletesAChat()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Respond("Hello from the gateway.");
        ChatClient client = CreateClient(host, "primary-chat");

        ChatCompletion completion = await client.CompleteChatAsync([new SystemChatMessage("Be kind."), new UserChatMessage("Hi!")]);

        Assert.Equal("Hello from the gateway.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatRole.System, host.Fakes["primary"].Requests[0].Messages[0].Role);
        Assert.Equal("Hi!", host.Fakes["primary"].Requests[0].LastUserText);
    }

    [Fact]
    public async Task OpenAISdk_StreamsAChat()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Usage = new UsageDetails { InputTokenCount = 9, OutputTokenCount = 3 };
        host.Fakes["primary"].RespondStreaming("One", ", two", ", three.");
        ChatClient client = CreateClient(host, "primary-chat");

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync(
            [new UserChatMessage("Count to three")], new ChatCompletionOptions()))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("One, two, three.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(9, usage?.InputTokenCount); // the SDK asks for stream_options.include_usage
        Assert.True(Assert.Single(host.Fakes["primary"].Requests).IsStreaming);
    }

    [Fact]
    public async Task OpenAISdk_ToolCallsRoundTrip()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        host.Fakes["primary"].Respond(new ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant,
            [new FunctionCallContent("call_7", "get_time", new Dictionary<string, object?> { ["zone"] = "UTC" })]))
        {
            FinishReason = Microsoft.Extensions.AI.ChatFinishReason.ToolCalls,
        });
        ChatClient client = CreateClient(host, "primary-chat");
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_time", "Gets the time", BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string"}}}""")) },
        };

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("What time is it?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        ChatToolCall call = Assert.Single(completion.ToolCalls);
        Assert.Equal(("call_7", "get_time"), (call.Id, call.FunctionName));
        Assert.Contains("UTC", call.FunctionArguments.ToString(), StringComparison.Ordinal);
        Assert.Equal("get_time", Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(host.Fakes["primary"].Requests[0].Options!.Tools!)).Name);
    }

    [Fact]
    public async Task OpenAISdk_UnknownModel_SurfacesAs404()
    {
        await using ChatApiHost host = await ChatApiHost.StartAsync();
        ChatClient client = CreateClient(host, "no-such-model");

        ClientResultException error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
    }

    private static ChatClient CreateClient(ChatApiHost host, string model) =>
        new(model, new ApiKeyCredential("not-a-real-key"), new OpenAIClientOptions
        {
            Endpoint = new Uri(host.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
}
