using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.Bedrock.Wire;

namespace ModelGateway.Providers.Bedrock;

/// <summary>Turns M.E.AI messages and options into a Converse request body.</summary>
internal static class BedrockRequestMapper
{
    private const string GatewayPropertyPrefix = "modelgateway.";

    /// <summary>Builds the body. Content Bedrock cannot take (an image URL, an unsupported media type) fails as BadRequest.</summary>
    public static ConverseRequest Create(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = new ConverseRequest();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            (request.System ??= []).Add(new ContentBlock { Text = options.Instructions });
        }

        bool hasToolBlocks = false;
        Message? previous = null;
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                foreach (AIContent content in message.Contents)
                {
                    if (content is TextContent { Text: { Length: > 0 } text })
                    {
                        (request.System ??= []).Add(new ContentBlock { Text = text });
                    }
                }

                continue;
            }

            string role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            List<ContentBlock> blocks = previous is not null && previous.Role == role ? previous.Content! : [];
            int before = blocks.Count;
            foreach (AIContent content in message.Contents)
            {
                if (MapContent(content, blocks.Count) is { } block)
                {
                    hasToolBlocks |= block.ToolUse is not null || block.ToolResult is not null;
                    blocks.Add(block);
                }
            }

            // Bedrock wants user and assistant turns to alternate, so consecutive turns of one role (a tool result
            // followed by a user question) become one turn.
            if (blocks.Count > before && (previous is null || !ReferenceEquals(previous.Content, blocks)))
            {
                previous = new Message { Role = role, Content = blocks };
                request.Messages.Add(previous);
            }
        }

        request.InferenceConfig = CreateInferenceConfig(options);
        request.ToolConfig = CreateToolConfig(options, hasToolBlocks);
        request.AdditionalModelRequestFields = CreateAdditionalFields(options);
        return request;
    }

    private static ContentBlock? MapContent(AIContent content, int index)
    {
        switch (content)
        {
            case TextContent text:
                return string.IsNullOrEmpty(text.Text) ? null : new ContentBlock { Text = text.Text };

            case DataContent data when data.HasTopLevelMediaType("image"):
                return new ContentBlock { Image = new ImageBlock { Format = ImageFormat(data.MediaType), Source = new BytesSource { Bytes = data.Data.ToArray() } } };

            case DataContent data:
                return new ContentBlock
                {
                    Document = new DocumentBlock
                    {
                        Format = DocumentFormat(data.MediaType),
                        Name = data.Name is { Length: > 0 } name ? name : "document" + index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Source = new BytesSource { Bytes = data.Data.ToArray() },
                    },
                };

            case UriContent uri:
                throw Unsupported($"a content URL ({uri.MediaType}); Bedrock takes images and documents as bytes");

            case FunctionCallContent call:
                return new ContentBlock
                {
                    ToolUse = new ToolUseBlock
                    {
                        ToolUseId = call.CallId,
                        Name = call.Name,
                        Input = call.Arguments is null
                            ? JsonSerializer.SerializeToElement(new EmptyObject(), BedrockJsonContext.Default.EmptyObject)
                            : JsonSerializer.SerializeToElement(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))),
                    },
                };

            case FunctionResultContent result:
                return new ContentBlock
                {
                    ToolResult = new ToolResultBlock
                    {
                        ToolUseId = result.CallId,
                        Content = [ToolResultContent(result.Result)],
                        Status = result.Exception is null ? null : "error",
                    },
                };

            case TextReasoningContent { ProtectedData: { Length: > 0 } signature } reasoning:
                // Only signed reasoning can be sent back; unsigned reasoning text is the model's, not the caller's.
                return new ContentBlock { ReasoningContent = new ReasoningContentBlock { ReasoningText = new ReasoningTextBlock { Text = reasoning.Text, Signature = signature } } };

            default:
                return null;
        }
    }

    private static ToolResultContentBlock ToolResultContent(object? result)
    {
        switch (result)
        {
            case null:
                return new ToolResultContentBlock { Text = "null" };
            case string text:
                return new ToolResultContentBlock { Text = text };
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                return new ToolResultContentBlock { Json = element };
            case JsonElement element:
                return new ToolResultContentBlock { Text = element.GetRawText() };
        }

        JsonElement serialized = ToJsonElement(result);
        return serialized.ValueKind == JsonValueKind.Object
            ? new ToolResultContentBlock { Json = serialized }
            : new ToolResultContentBlock { Text = serialized.GetRawText() };
    }

    private static InferenceConfiguration? CreateInferenceConfig(ChatOptions? options)
    {
        if (options is null || (options.MaxOutputTokens is null && options.Temperature is null && options.TopP is null && options.StopSequences is not { Count: > 0 }))
        {
            return null;
        }

        return new InferenceConfiguration
        {
            MaxTokens = options.MaxOutputTokens,
            Temperature = options.Temperature,
            TopP = options.TopP,
            StopSequences = options.StopSequences is { Count: > 0 } stops ? [.. stops] : null,
        };
    }

    private static ToolConfiguration? CreateToolConfig(ChatOptions? options, bool hasToolBlocks)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return null;
        }

        // Bedrock has no "none" choice. Leaving the tools out honours it, but a conversation that already holds tool
        // blocks must still declare them, so then they go with the default (auto) choice.
        if (options.ToolMode is NoneChatToolMode && !hasToolBlocks)
        {
            return null;
        }

        var config = new ToolConfiguration();
        foreach (AITool tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                config.Tools.Add(new Tool
                {
                    ToolSpec = new ToolSpecification
                    {
                        Name = function.Name,
                        Description = string.IsNullOrEmpty(function.Description) ? null : function.Description,
                        InputSchema = new ToolInputSchema { Json = function.JsonSchema },
                    },
                });
            }
        }

        if (config.Tools.Count == 0)
        {
            return null;
        }

        config.ToolChoice = options.ToolMode switch
        {
            AutoChatToolMode => new ToolChoice { Auto = new EmptyObject() },
            RequiredChatToolMode { RequiredFunctionName: { } name } => new ToolChoice { Tool = new SpecificToolChoice { Name = name } },
            RequiredChatToolMode => new ToolChoice { Any = new EmptyObject() },
            _ => null,
        };
        return config;
    }

    private static Dictionary<string, JsonElement>? CreateAdditionalFields(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties)
        {
            return null;
        }

        Dictionary<string, JsonElement>? fields = null;
        foreach (KeyValuePair<string, object?> property in properties)
        {
            // The gateway strips its own keys; this keeps them from leaking when the client is used on its own.
            if (property.Key.StartsWith(GatewayPropertyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            (fields ??= new(StringComparer.Ordinal))[property.Key] = property.Value is JsonElement element ? element : ToJsonElement(property.Value);
        }

        return fields;
    }

    private static JsonElement ToJsonElement(object? value)
    {
        if (value is null)
        {
            return JsonSerializer.SerializeToElement<JsonElement?>(null, BedrockJsonContext.Default.NullableJsonElement);
        }

        try
        {
            return JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new ProviderException(ProviderErrorKind.BadRequest, $"A value of type {value.GetType().Name} cannot be serialized to JSON for Bedrock: register it in AIJsonUtilities' options or pass a JsonElement.", ex);
        }
    }

    private static string ImageFormat(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/png" => "png",
        "image/jpeg" or "image/jpg" => "jpeg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => throw Unsupported($"the image type '{mediaType}' (Bedrock takes png, jpeg, gif and webp)"),
    };

    private static string DocumentFormat(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "application/pdf" => "pdf",
        "text/csv" => "csv",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "text/html" => "html",
        "text/plain" => "txt",
        "text/markdown" => "md",
        _ => throw Unsupported($"the media type '{mediaType}'"),
    };

    private static ProviderException Unsupported(string what) =>
        new(ProviderErrorKind.BadRequest, $"Bedrock cannot take {what}.");
}
