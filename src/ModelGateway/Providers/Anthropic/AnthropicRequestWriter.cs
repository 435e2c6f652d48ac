using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.Shared;

namespace ModelGateway.Providers.Anthropic;

/// <summary>Writes a Messages API request body straight from M.E.AI messages and options, with no intermediate objects.</summary>
internal static class AnthropicRequestWriter
{
    /// <summary>The <c>max_tokens</c> sent when neither the request nor the alias defaults set <see cref="ChatOptions.MaxOutputTokens"/> (the API requires one).</summary>
    public const int DefaultMaxTokens = 4096;

    // The API rejects a thinking budget below this.
    private const int MinThinkingBudget = 1024;

    public static void Write(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream)
    {
        writer.WriteStartObject();
        writer.WriteString("model", model);

        int thinkingBudget = ThinkingBudget(options);
        int maxTokens = options?.MaxOutputTokens ?? (thinkingBudget > 0 ? thinkingBudget + DefaultMaxTokens : DefaultMaxTokens);
        if (thinkingBudget >= maxTokens)
        {
            // budget_tokens must stay below max_tokens.
            thinkingBudget = maxTokens - 1;
        }

        if (!ChatWire.Overrides(options, "max_tokens"))
        {
            writer.WriteNumber("max_tokens", maxTokens);
        }

        WriteSystem(writer, messages, options);
        WriteMessages(writer, messages);
        WriteTools(writer, options);

        if (options is not null)
        {
            if (options.Temperature is { } temperature && !ChatWire.Overrides(options, "temperature"))
            {
                writer.WriteNumber("temperature", temperature);
            }

            if (options.TopP is { } topP && !ChatWire.Overrides(options, "top_p"))
            {
                writer.WriteNumber("top_p", topP);
            }

            if (options.TopK is { } topK && !ChatWire.Overrides(options, "top_k"))
            {
                writer.WriteNumber("top_k", topK);
            }

            if (options.StopSequences is { Count: > 0 } stops && !ChatWire.Overrides(options, "stop_sequences"))
            {
                writer.WriteStartArray("stop_sequences");
                foreach (string stop in stops)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            if (options.Reasoning?.Effort is { } effort && !ChatWire.Overrides(options, "thinking"))
            {
                writer.WriteStartObject("thinking");
                if (effort == ReasoningEffort.None || thinkingBudget < MinThinkingBudget)
                {
                    writer.WriteString("type", "disabled");
                }
                else
                {
                    writer.WriteString("type", "enabled");
                    writer.WriteNumber("budget_tokens", thinkingBudget);
                }

                writer.WriteEndObject();
            }

            if (options.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } && !ChatWire.Overrides(options, "output_config"))
            {
                writer.WriteStartObject("output_config");
                writer.WriteStartObject("format");
                writer.WriteString("type", "json_schema");
                writer.WritePropertyName("schema");
                schema.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
        }

        if (stream)
        {
            writer.WriteBoolean("stream", true);
        }

        ChatWire.WriteAdditionalProperties(writer, options);
        writer.WriteEndObject();
    }

    private static int ThinkingBudget(ChatOptions? options) =>
        options?.Reasoning?.Effort is { } effort ? ChatWire.ThinkingBudget(effort) : 0;

    private static void WriteSystem(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        // Instructions first, then every system message in order, each as its own text block.
        int count = string.IsNullOrEmpty(options?.Instructions) ? 0 : 1;
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                foreach (AIContent content in message.Contents)
                {
                    if (content is TextContent { Text.Length: > 0 })
                    {
                        count++;
                    }
                }
            }
        }

        if (count == 0)
        {
            return;
        }

        writer.WriteStartArray("system");
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            WriteTextBlock(writer, options.Instructions);
        }

        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                foreach (AIContent content in message.Contents)
                {
                    if (content is TextContent { Text.Length: > 0 } text)
                    {
                        WriteTextBlock(writer, text.Text);
                    }
                }
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
    {
        writer.WriteStartArray("messages");

        // Roles must alternate: consecutive messages of one role (a tool result then a user question, say) become one message.
        var turns = new RoleTurnWriter(writer, "content");
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            string role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            foreach (AIContent content in message.Contents)
            {
                if (!IsSent(content))
                {
                    continue;
                }

                turns.Enter(role);

                WriteBlock(writer, content);
            }
        }

        turns.Close();
        writer.WriteEndArray();
    }

    private static bool IsSent(AIContent content) => content switch
    {
        TextContent text => text.Text.Length > 0,
        DataContent data => data.HasTopLevelMediaType("image"),
        UriContent uri => uri.HasTopLevelMediaType("image"),
        FunctionCallContent or FunctionResultContent => true,

        // Reasoning is only replayed with Anthropic's signature; reasoning from other vendors cannot be verified and is dropped.
        TextReasoningContent reasoning => !string.IsNullOrEmpty(reasoning.ProtectedData),
        _ => false,
    };

    private static void WriteBlock(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case TextContent text:
                WriteTextBlock(writer, text.Text);
                break;

            case DataContent data:
                writer.WriteStartObject();
                writer.WriteString("type", "image");
                writer.WriteStartObject("source");
                writer.WriteString("type", "base64");
                writer.WriteString("media_type", data.MediaType);
                writer.WriteString("data", data.Base64Data.Span);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;

            case UriContent uri:
                writer.WriteStartObject();
                writer.WriteString("type", "image");
                writer.WriteStartObject("source");
                writer.WriteString("type", "url");
                writer.WriteString("url", uri.Uri.AbsoluteUri);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;

            case FunctionCallContent call:
                writer.WriteStartObject();
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", call.CallId);
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("input");
                ChatWire.WriteArguments(writer, call.Arguments);
                writer.WriteEndObject();
                break;

            case FunctionResultContent result:
                writer.WriteStartObject();
                writer.WriteString("type", "tool_result");
                writer.WriteString("tool_use_id", result.CallId);
                writer.WriteString("content", ChatWire.ResultText(result.Result));
                if (result.Exception is not null)
                {
                    writer.WriteBoolean("is_error", true);
                }

                writer.WriteEndObject();
                break;

            case TextReasoningContent reasoning:
                writer.WriteStartObject();
                if (reasoning.Text.Length == 0)
                {
                    // Reasoning with no text is how a redacted_thinking block comes back from this client.
                    writer.WriteString("type", "redacted_thinking");
                    writer.WriteString("data", reasoning.ProtectedData);
                }
                else
                {
                    writer.WriteString("type", "thinking");
                    writer.WriteString("thinking", reasoning.Text);
                    writer.WriteString("signature", reasoning.ProtectedData);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteTextBlock(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || ChatWire.Overrides(options, "tools"))
        {
            return;
        }

        bool any = false;
        foreach (AITool tool in tools)
        {
            if (tool is not AIFunctionDeclaration function)
            {
                continue;
            }

            if (!any)
            {
                writer.WriteStartArray("tools");
                any = true;
            }

            writer.WriteStartObject();
            writer.WriteString("name", function.Name);
            if (!string.IsNullOrEmpty(function.Description))
            {
                writer.WriteString("description", function.Description);
            }

            writer.WritePropertyName("input_schema");
            function.JsonSchema.WriteTo(writer);
            writer.WriteEndObject();
        }

        if (!any)
        {
            return;
        }

        writer.WriteEndArray();

        if (ChatWire.Overrides(options, "tool_choice") || (options.ToolMode is null && options.AllowMultipleToolCalls is not false))
        {
            return;
        }

        writer.WriteStartObject("tool_choice");
        switch (options.ToolMode)
        {
            case NoneChatToolMode:
                writer.WriteString("type", "none");
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                writer.WriteString("type", "tool");
                writer.WriteString("name", name);
                break;
            case RequiredChatToolMode:
                writer.WriteString("type", "any");
                break;
            default:
                writer.WriteString("type", "auto");
                break;
        }

        if (options.AllowMultipleToolCalls is false && options.ToolMode is not NoneChatToolMode)
        {
            writer.WriteBoolean("disable_parallel_tool_use", true);
        }

        writer.WriteEndObject();
    }
}
