using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ModelGateway.Tests.Providers.CrossProvider;

/// <summary>
/// The one conversation every provider is sent: a system prompt, a user turn with text and a PNG, the assistant's
/// tool call, the tool's result, a second user turn, and one declared tool.
/// </summary>
internal static class CrossProviderConversation
{
    public const string SystemPrompt = "You are a concise travel assistant. Answer in one sentence.";
    public const string FirstQuestion = "Where was this photo taken, and what is the weather there?";
    public const string SecondQuestion = "Thanks! What about tomorrow in Lyon?";
    public const string CallId = "call_weather_1";
    public const string ToolName = "get_weather";
    public const string ToolDescription = "Gets the weather forecast for a city.";
    public const string ToolResult = "18°C and sunny";

    /// <summary>A 1×1 transparent PNG, as base64.</summary>
    public const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    public const string ToolSchema = """
        {"type":"object","properties":{"city":{"type":"string","description":"City name"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days_ahead":{"type":"integer","minimum":0}},"required":["city"]}
        """;

    /// <summary>The arguments of the call already in the conversation.</summary>
    public const string SentArguments = """{"city":"Paris","unit":"celsius"}""";

    /// <summary>The arguments every provider answers with in the tool-call scenario.</summary>
    public const string AnsweredArguments = """{"city":"Lyon","unit":"celsius","days_ahead":1}""";

    /// <summary>The text that precedes the answered tool call (Cohere's <c>tool_plan</c>).</summary>
    public const string Preamble = "Let me check the forecast for Lyon.";

    /// <summary>The text every provider answers with in the text scenario.</summary>
    public const string Answer = "Tomorrow Lyon will be 21°C and sunny.";

    /// <summary>Normalised usage every provider's answer reports (see docs/providers.md, "Usage normalisation").</summary>
    public const long InputTokens = 1200;
    public const long OutputTokens = 25;
    public const long TotalTokens = 1225;
    public const long CachedInputTokens = 1024;

    public static List<ChatMessage> Messages() =>
    [
        new(ChatRole.User, [new TextContent(FirstQuestion), new DataContent(Convert.FromBase64String(PngBase64), "image/png")]),
        new(ChatRole.Assistant, [new FunctionCallContent(CallId, ToolName, new Dictionary<string, object?> { ["city"] = "Paris", ["unit"] = "celsius" })]),
        new(ChatRole.Tool, [new FunctionResultContent(CallId, ToolResult)]),
        new(ChatRole.User, SecondQuestion),
    ];

    public static ChatOptions Options(string alias) => new()
    {
        ModelId = alias,
        Instructions = SystemPrompt,
        Tools = [AIFunctionFactory.CreateDeclaration(ToolName, ToolDescription, JsonDocument.Parse(ToolSchema).RootElement)],
    };
}
