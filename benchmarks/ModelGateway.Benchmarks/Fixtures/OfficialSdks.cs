using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Anthropic.Models.Messages;
using OpenAI;
using OpenAI.Chat;

namespace ModelGateway.Benchmarks.Fixtures;

/// <summary>The vendors' own .NET SDKs, set up as their documentation shows, over the same in-memory handler.</summary>
internal static class OfficialSdks
{
    public static ChatClient OpenAI(HttpMessageHandler handler) =>
        new(RecordedResponses.OpenAIModel, new ApiKeyCredential(GatewayHost.ApiKey), new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(new HttpClient(handler, disposeHandler: false)),
        });

    public static List<OpenAI.Chat.ChatMessage> OpenAIMessages() =>
        [new SystemChatMessage(Conversation.System), new UserChatMessage(Conversation.User)];

    public static ChatCompletionOptions OpenAIOptions() =>
        new() { MaxOutputTokenCount = Conversation.MaxOutputTokens, Temperature = Conversation.Temperature };

    public static AnthropicClient Anthropic(HttpMessageHandler handler) =>
        new() { ApiKey = GatewayHost.ApiKey, HttpClient = new HttpClient(handler, disposeHandler: false) };

    public static MessageCreateParams AnthropicParams() => new()
    {
        Model = RecordedResponses.AnthropicModel,
        MaxTokens = Conversation.MaxOutputTokens,
        System = Conversation.System,
        Messages = [new UserMessageParam(Conversation.User)],
    };
}
