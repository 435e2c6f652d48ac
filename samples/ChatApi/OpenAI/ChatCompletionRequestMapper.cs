using System.Globalization;
using System.Text.Json;
using ChatApi.OpenAI.Wire;
using Microsoft.Extensions.AI;

namespace ChatApi.OpenAI;

/// <summary>
/// Turns an OpenAI chat completion request into Microsoft.Extensions.AI messages and options. Every field the gateway
/// cannot honour is rejected with a 400 that names it, rather than silently dropped.
/// </summary>
internal static class ChatCompletionRequestMapper
{
    private static readonly JsonElement EmptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
    public static List<ChatMessage> ToMessages(ChatCompletionRequest request)
    {
        if (request.Messages is not { Count: > 0 } wire)
        {
            throw new InvalidRequestException("'messages' is required and must contain at least one message.", "messages");
        }

        var messages = new List<ChatMessage>(wire.Count);
        for (int i = 0; i < wire.Count; i++)
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"messages[{i}]");
            RequestMessage message = wire[i] ?? throw new InvalidRequestException($"'{path}' must be an object.", path);
            messages.Add(ToMessage(message, path));
        }

        return messages;
    }

    public static ChatOptions ToOptions(ChatCompletionRequest request)
    {
        if (request.N is { } n && n != 1)
        {
            throw new InvalidRequestException("Only n = 1 is supported.", "n");
        }

        var options = new ChatOptions
        {
            ModelId = request.Model,
            Temperature = request.Temperature,
            TopP = request.TopP,
            MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens,
            FrequencyPenalty = request.FrequencyPenalty,
            PresencePenalty = request.PresencePenalty,
            Seed = request.Seed,
            AllowMultipleToolCalls = request.ParallelToolCalls,
            StopSequences = ToStop(request.Stop),
            ResponseFormat = ToResponseFormat(request.ResponseFormat),
        };

        if (request.Tools is { Count: > 0 } tools)
        {
            options.Tools = new List<AITool>(tools.Count);
            for (int i = 0; i < tools.Count; i++)
            {
                options.Tools.Add(ToTool(tools[i], string.Create(CultureInfo.InvariantCulture, $"tools[{i}]")));
            }
        }

        options.ToolMode = ToToolMode(request.ToolChoice);
        return options;
    }

    private static ChatMessage ToMessage(RequestMessage message, string path)
    {
        switch (message.Role)
        {
            case "system" or "developer":
                return new ChatMessage(ChatRole.System, TextParts(message.Content, path, required: true)) { AuthorName = message.Name };

            case "user":
                return new ChatMessage(ChatRole.User, UserParts(message.Content, path)) { AuthorName = message.Name };

            case "assistant":
            {
                List<AIContent> contents = TextParts(message.Content, path, required: false);
                if (message.ToolCalls is { Count: > 0 } calls)
                {
                    for (int i = 0; i < calls.Count; i++)
                    {
                        contents.Add(ToFunctionCall(calls[i], string.Create(CultureInfo.InvariantCulture, $"{path}.tool_calls[{i}]")));
                    }
                }

                if (contents.Count == 0)
                {
                    throw new InvalidRequestException($"'{path}.content' is required unless 'tool_calls' is given.", $"{path}.content");
                }

                return new ChatMessage(ChatRole.Assistant, contents) { AuthorName = message.Name };
            }

            case "tool":
            {
                if (string.IsNullOrEmpty(message.ToolCallId))
                {
                    throw new InvalidRequestException($"'{path}.tool_call_id' is required for a tool message.", $"{path}.tool_call_id");
                }

                string result = string.Concat(TextParts(message.Content, path, required: true).Select(static c => ((TextContent)c).Text));
                return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message.ToolCallId, result)]);
            }

            case null:
                throw new InvalidRequestException($"'{path}.role' is required.", $"{path}.role");

            default:
                throw new InvalidRequestException(
                    $"'{path}.role' is '{message.Role}'; expected 'developer', 'system', 'user', 'assistant' or 'tool'.", $"{path}.role");
        }
    }

    /// <summary>Reads a string or an array of <c>text</c> parts (system, developer, assistant and tool messages).</summary>
    private static List<AIContent> TextParts(JsonElement? content, string path, bool required)
    {
        var contents = new List<AIContent>();
        switch (content)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                if (required)
                {
                    throw new InvalidRequestException($"'{path}.content' is required.", $"{path}.content");
                }

                break;
            case { ValueKind: JsonValueKind.String } text:
                contents.Add(new TextContent(text.GetString()));
                break;
            case { ValueKind: JsonValueKind.Array } parts:
                int index = 0;
                foreach (JsonElement part in parts.EnumerateArray())
                {
                    string partPath = string.Create(CultureInfo.InvariantCulture, $"{path}.content[{index++}]");
                    string? type = PartType(part, partPath);
                    if (type is "text")
                    {
                        contents.Add(new TextContent(RequiredString(part, "text", partPath)));
                    }
                    else if (type is not "refusal")
                    {
                        throw new InvalidRequestException($"'{partPath}.type' '{type}' is not supported here; use 'text'.", $"{partPath}.type");
                    }
                }

                break;
            default:
                throw new InvalidRequestException($"'{path}.content' must be a string or an array of content parts.", $"{path}.content");
        }

        return contents;
    }

    /// <summary>Reads a user message: a string, or <c>text</c>, <c>image_url</c> and <c>input_audio</c> parts.</summary>
    private static List<AIContent> UserParts(JsonElement? content, string path)
    {
        if (content is not { ValueKind: JsonValueKind.Array } parts)
        {
            return TextParts(content, path, required: true);
        }

        var contents = new List<AIContent>();
        int index = 0;
        foreach (JsonElement part in parts.EnumerateArray())
        {
            string partPath = string.Create(CultureInfo.InvariantCulture, $"{path}.content[{index++}]");
            switch (PartType(part, partPath))
            {
                case "text":
                    contents.Add(new TextContent(RequiredString(part, "text", partPath)));
                    break;
                case "image_url":
                    contents.Add(ToImage(part, partPath));
                    break;
                case "input_audio":
                    contents.Add(ToAudio(part, partPath));
                    break;
                case { } other:
                    throw new InvalidRequestException(
                        $"'{partPath}.type' '{other}' is not supported; use 'text', 'image_url' or 'input_audio'.", $"{partPath}.type");
            }
        }

        if (contents.Count == 0)
        {
            throw new InvalidRequestException($"'{path}.content' must contain at least one part.", $"{path}.content");
        }

        return contents;
    }

    private static AIContent ToImage(JsonElement part, string path)
    {
        if (!part.TryGetProperty("image_url", out JsonElement image) || image.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException($"'{path}.image_url' is required.", $"{path}.image_url");
        }

        string url = RequiredString(image, "url", $"{path}.image_url");
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new DataContent(url);
            }
            catch (FormatException)
            {
                throw new InvalidRequestException($"'{path}.image_url.url' is not a valid base64 data URI.", $"{path}.image_url.url");
            }
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidRequestException($"'{path}.image_url.url' must be an http(s) URL or a data URI.", $"{path}.image_url.url");
        }

        return new UriContent(uri, "image/*");
    }

    private static DataContent ToAudio(JsonElement part, string path)
    {
        if (!part.TryGetProperty("input_audio", out JsonElement audio) || audio.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException($"'{path}.input_audio' is required.", $"{path}.input_audio");
        }

        string data = RequiredString(audio, "data", $"{path}.input_audio");
        string mediaType = RequiredString(audio, "format", $"{path}.input_audio") switch
        {
            "wav" => "audio/wav",
            "mp3" => "audio/mpeg",
            _ => throw new InvalidRequestException($"'{path}.input_audio.format' must be 'wav' or 'mp3'.", $"{path}.input_audio.format"),
        };

        try
        {
            return new DataContent(Convert.FromBase64String(data), mediaType);
        }
        catch (FormatException)
        {
            throw new InvalidRequestException($"'{path}.input_audio.data' is not valid base64.", $"{path}.input_audio.data");
        }
    }

    private static FunctionCallContent ToFunctionCall(WireToolCall? call, string path)
    {
        if (call is null || string.IsNullOrEmpty(call.Id) || call.Function is null || string.IsNullOrEmpty(call.Function.Name))
        {
            throw new InvalidRequestException($"'{path}' needs 'id', 'function.name' and 'function.arguments'.", path);
        }

        Dictionary<string, object?> arguments = [];
        if (!string.IsNullOrWhiteSpace(call.Function.Arguments))
        {
            Dictionary<string, JsonElement>? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(call.Function.Arguments, OpenAIWireJsonContext.Default.DictionaryStringJsonElement);
            }
            catch (JsonException)
            {
                throw new InvalidRequestException($"'{path}.function.arguments' must be a JSON object encoded as a string.", $"{path}.function.arguments");
            }

            foreach ((string name, JsonElement value) in parsed ?? [])
            {
                arguments[name] = value;
            }
        }

        return new FunctionCallContent(call.Id, call.Function.Name, arguments);
    }

    private static AIFunctionDeclaration ToTool(RequestTool? tool, string path)
    {
        if (tool is null || tool.Type != "function")
        {
            throw new InvalidRequestException($"'{path}.type' must be 'function'.", $"{path}.type");
        }

        FunctionDefinition function = tool.Function ?? throw new InvalidRequestException($"'{path}.function' is required.", $"{path}.function");
        if (string.IsNullOrEmpty(function.Name))
        {
            throw new InvalidRequestException($"'{path}.function.name' is required.", $"{path}.function.name");
        }

        JsonElement schema = function.Parameters is { ValueKind: JsonValueKind.Object } parameters ? parameters : EmptyObjectSchema;
        return AIFunctionFactory.CreateDeclaration(function.Name, function.Description, schema);
    }

    private static ChatToolMode? ToToolMode(JsonElement? choice) => choice switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } mode => mode.GetString() switch
        {
            "none" => ChatToolMode.None,
            "auto" => ChatToolMode.Auto,
            "required" => ChatToolMode.RequireAny,
            _ => throw new InvalidRequestException("'tool_choice' must be 'none', 'auto', 'required' or a function choice.", "tool_choice"),
        },
        { ValueKind: JsonValueKind.Object } specific
            when specific.TryGetProperty("function", out JsonElement function)
                && function.ValueKind == JsonValueKind.Object
                && function.TryGetProperty("name", out JsonElement name)
                && name.ValueKind == JsonValueKind.String
            => ChatToolMode.RequireSpecific(name.GetString()!),
        _ => throw new InvalidRequestException("'tool_choice' must be 'none', 'auto', 'required' or {\"type\":\"function\",\"function\":{\"name\":…}}.", "tool_choice"),
    };

    private static List<string>? ToStop(JsonElement? stop)
    {
        switch (stop)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return null;
            case { ValueKind: JsonValueKind.String } single:
                return [single.GetString()!];
            case { ValueKind: JsonValueKind.Array } many when many.GetArrayLength() is > 0 and <= 4:
                var list = new List<string>(many.GetArrayLength());
                foreach (JsonElement item in many.EnumerateArray())
                {
                    list.Add(item.ValueKind == JsonValueKind.String
                        ? item.GetString()!
                        : throw new InvalidRequestException("'stop' must hold strings only.", "stop"));
                }

                return list;
            default:
                throw new InvalidRequestException("'stop' must be a string or an array of 1 to 4 strings.", "stop");
        }
    }

    private static ChatResponseFormat? ToResponseFormat(JsonElement? format)
    {
        if (format is not { ValueKind: JsonValueKind.Object } value)
        {
            return format is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }
                ? null
                : throw new InvalidRequestException("'response_format' must be an object.", "response_format");
        }

        string? type = value.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                if (!value.TryGetProperty("json_schema", out JsonElement jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object
                    || !jsonSchema.TryGetProperty("schema", out JsonElement schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidRequestException("'response_format.json_schema.schema' is required for type 'json_schema'.", "response_format.json_schema");
                }

                return ChatResponseFormat.ForJsonSchema(schema, OptionalString(jsonSchema, "name"), OptionalString(jsonSchema, "description"));
            default:
                throw new InvalidRequestException("'response_format.type' must be 'text', 'json_object' or 'json_schema'.", "response_format.type");
        }
    }

    private static string? PartType(JsonElement part, string path) =>
        part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : throw new InvalidRequestException($"'{path}' must be an object with a string 'type'.", $"{path}.type");

    private static string RequiredString(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidRequestException($"'{path}.{name}' is required and must be a string.", $"{path}.{name}");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
