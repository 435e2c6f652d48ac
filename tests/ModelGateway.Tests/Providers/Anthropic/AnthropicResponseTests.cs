using Microsoft.Extensions.AI;
using ModelGateway.Providers.Shared;
using ModelGateway.Tests.TestUtilities;
using static ModelGateway.Tests.Providers.Anthropic.AnthropicTestClient;

namespace ModelGateway.Tests.Providers.Anthropic;

public sealed class AnthropicResponseTests
{
    [Fact]
    public async Task GetResponseAsync_PlainAnswer_MapsTextFinishReasonAndUsage()
    {
        await using LoopbackServer server = await ServeJsonAsync(TextAnswer);
        using IChatClient client = Create(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal("Hello there.", response.Text);
        ChatMessage message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("msg_01", response.ResponseId);
        Assert.Equal("msg_01", message.MessageId);
        Assert.Equal("claude-sonnet-4-5-20250929", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.Equal(4, response.Usage.OutputTokenCount);
        Assert.Equal(16, response.Usage.TotalTokenCount);
        Assert.Equal(0, response.Usage.CachedInputTokenCount);
        Assert.Null(response.Usage.AdditionalCounts);
    }

    [Fact]
    public async Task GetResponseAsync_CachedPrompt_CountsCacheReadsAndWritesAsInput()
    {
        await using LoopbackServer server = await ServeJsonAsync("""
            {"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"}],
             "stop_reason":"end_turn","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":5}}
            """);
        using IChatClient client = Create(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal(3210, response.Usage!.InputTokenCount);
        Assert.Equal(3000, response.Usage.CachedInputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        Assert.Equal(3215, response.Usage.TotalTokenCount);
        Assert.Equal(200, response.Usage.AdditionalCounts![ChatWire.CacheCreationInputTokensKey]);
    }

    [Fact]
    public async Task GetResponseAsync_ToolUseAnswer_MapsThinkingTextAndParsedArguments()
    {
        await using LoopbackServer server = await ServeJsonAsync("""
            {"id":"msg_03","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"Need the weather.","signature":"EqQB"},
                        {"type":"redacted_thinking","data":"opaque"},
                        {"type":"text","text":"I'll check."},
                        {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris","days":3}},
                        {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":377,"output_tokens":65}}
            """);
        using IChatClient client = Create(server);

        ChatResponse response = await client.GetResponseAsync("Weather?", Options());

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        IList<AIContent> contents = Assert.Single(response.Messages).Contents;
        Assert.Equal(4, contents.Count);
        var thinking = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal("Need the weather.", thinking.Text);
        Assert.Equal("EqQB", thinking.ProtectedData);
        var redacted = Assert.IsType<TextReasoningContent>(contents[1]);
        Assert.Equal(string.Empty, redacted.Text);
        Assert.Equal("opaque", redacted.ProtectedData);
        Assert.Equal("I'll check.", Assert.IsType<TextContent>(contents[2]).Text);
        var call = Assert.IsType<FunctionCallContent>(contents[3]);
        Assert.Equal("toolu_01", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal(3, ((System.Text.Json.JsonElement)call.Arguments["days"]!).GetInt32());
        Assert.Equal(377, response.Usage!.InputTokenCount);
        Assert.Null(response.Usage.CachedInputTokenCount);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "pause_turn")]
    public async Task GetResponseAsync_MapsStopReason(string stopReason, string expected)
    {
        await using LoopbackServer server = await ServeJsonAsync($$$"""
            {"id":"msg_04","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"{{{stopReason}}}","usage":{"input_tokens":1,"output_tokens":1}}
            """);
        using IChatClient client = Create(server);

        ChatResponse response = await client.GetResponseAsync("Hi", Options());

        Assert.Equal(new ChatFinishReason(expected), response.FinishReason);
    }
}
