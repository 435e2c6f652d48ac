using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ChatApi.Errors;
using ChatApi.OpenAI.Wire;
using Microsoft.Extensions.AI;
using ModelGateway;

namespace ChatApi.OpenAI;

/// <summary>
/// <c>POST /v1/chat/completions</c>: OpenAI's chat completions API served by the gateway, so any OpenAI SDK can point its
/// base URL here. <c>model</c> is a gateway alias; streaming is SSE ending with <c>data: [DONE]</c>; errors are OpenAI's
/// error JSON with the status an OpenAI client expects.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    /// <summary>The gateway feature every request of this endpoint is recorded under (spend, limits, telemetry).</summary>
    public const string Feature = "chat_completions";

    private const string Name = "POST /v1/chat/completions";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost("/v1/chat/completions", HandleAsync);

    private static async Task HandleAsync(HttpContext context, IChatClient gateway, TimeProvider time, ILoggerFactory loggers)
    {
        CancellationToken cancellationToken = context.RequestAborted;
        ILogger logger = loggers.CreateLogger(typeof(ChatCompletionsEndpoint).FullName!);
        ChatCompletionRequest request;
        List<ChatMessage> messages;
        ChatOptions options;
        try
        {
            request = await ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
            messages = ChatCompletionRequestMapper.ToMessages(request);
            options = ChatCompletionRequestMapper.ToOptions(request).WithUser(request.User).WithFeature(Feature);
        }
        catch (InvalidRequestException invalid)
        {
            await WriteErrorAsync(context, new ApiError(StatusCodes.Status400BadRequest, "invalid_request_error", null, invalid.Message, invalid.Param)).ConfigureAwait(false);
            return;
        }

        long created = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream == true)
        {
            await StreamAsync(context, gateway, messages, options, request, created, time, logger).ConfigureAwait(false);
            return;
        }

        ChatResponse response;
        try
        {
            response = await gateway.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // the client went away; nobody is left to answer
        }
        catch (Exception exception)
        {
            await FailAsync(context, exception, time, logger).ConfigureAwait(false);
            return;
        }

        AddGatewayHeaders(context.Response, response.GetGatewayInfo());
        ChatCompletion completion = ChatCompletionResponseMapper.ToCompletion(response, request.Model!, created);
        await WriteJsonAsync(context.Response, StatusCodes.Status200OK, completion, OpenAIWireJsonContext.Wire.ChatCompletion).ConfigureAwait(false);
    }

    private static async Task<ChatCompletionRequest> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        ChatCompletionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Body, OpenAIWireJsonContext.Wire.ChatCompletionRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException json)
        {
            string at = json.Path is { Length: > 1 } path ? path : "$";
            throw new InvalidRequestException($"The request body is not valid JSON or a field has the wrong type (at {at}).", at == "$" ? null : at.TrimStart('$', '.'));
        }

        if (request is null)
        {
            throw new InvalidRequestException("The request body must be a JSON object.", null);
        }

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw new InvalidRequestException("'model' is required: the name of a model alias configured in the gateway.", "model");
        }

        return request;
    }

    private static async Task StreamAsync(
        HttpContext context, IChatClient gateway, List<ChatMessage> messages, ChatOptions options, ChatCompletionRequest request, long created, TimeProvider time, ILogger logger)
    {
        CancellationToken cancellationToken = context.RequestAborted;
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            // Nothing is sent until the first chunk: a failure before it (every retry and fallback spent) is still an
            // ordinary error response with its proper status.
            bool more;
            try
            {
                updates = gateway.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                more = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                await FailAsync(context, exception, time, logger).ConfigureAwait(false);
                return;
            }

            HttpResponse response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no"; // reverse proxies must not buffer the stream

            await using var sse = new SseWriter(response.BodyWriter);
            string? id = null;
            string model = request.Model!;
            bool roleSent = false;
            bool calledTools = false;
            int toolIndex = 0;
            ChatFinishReason? finishReason = null;
            UsageDetails? usage = null;
            try
            {
                while (more)
                {
                    ChatResponseUpdate update = updates.Current;
                    if (id is null)
                    {
                        id = ChatCompletionResponseMapper.NewIdIfMissing(update.ResponseId);
                        model = update.ModelId ?? model;
                    }

                    finishReason ??= update.FinishReason;
                    string text = update.Text;
                    List<ToolCallChunk>? toolCalls = null;
                    foreach (AIContent content in update.Contents)
                    {
                        switch (content)
                        {
                            case FunctionCallContent call:
                                calledTools = true;
                                (toolCalls ??= []).Add(new ToolCallChunk
                                {
                                    Index = toolIndex++,
                                    Id = call.CallId,
                                    Type = "function",
                                    Function = new WireFunctionCall { Name = call.Name, Arguments = ChatCompletionResponseMapper.SerializeArguments(call.Arguments) },
                                });
                                break;
                            case UsageContent used:
                                (usage ??= new UsageDetails()).Add(used.Details);
                                break;
                        }
                    }

                    if (text.Length > 0 || toolCalls is not null || !roleSent)
                    {
                        var delta = new ChunkDelta { Role = roleSent ? null : "assistant", Content = text.Length > 0 ? text : null, ToolCalls = toolCalls };
                        roleSent = true;
                        await sse.WriteAsync(Chunk(id, model, created, delta, finishReason: null), OpenAIWireJsonContext.Wire.ChatCompletionChunk, cancellationToken).ConfigureAwait(false);
                    }

                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The status line is gone: say so in the stream and end it without [DONE], so clients see it as failed.
                ApiError error = GatewayErrors.Describe(exception, time);
                ChatApiLog.StreamFailed(logger, Name, exception);
                await sse.WriteAsync(ErrorBodyOf(error), OpenAIWireJsonContext.Wire.ErrorResponse, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            string finish = ChatCompletionResponseMapper.FinishReason(finishReason, calledTools);
            await sse.WriteAsync(Chunk(id!, model, created, new ChunkDelta(), finish), OpenAIWireJsonContext.Wire.ChatCompletionChunk, cancellationToken).ConfigureAwait(false);
            if (request.StreamOptions?.IncludeUsage == true)
            {
                var usageChunk = new ChatCompletionChunk { Id = id!, Model = model, Created = created, Choices = [], Usage = ChatCompletionResponseMapper.ToUsage(usage) ?? new WireUsage() };
                await sse.WriteAsync(usageChunk, OpenAIWireJsonContext.Wire.ChatCompletionChunk, cancellationToken).ConfigureAwait(false);
            }

            await sse.WriteDoneAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client disconnected while a chunk was being written.
        }
        finally
        {
            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static ChatCompletionChunk Chunk(string id, string model, long created, ChunkDelta delta, string? finishReason) => new()
    {
        Id = id,
        Model = model,
        Created = created,
        Choices = [new ChunkChoice { Delta = delta, FinishReason = finishReason }],
    };

    private static void AddGatewayHeaders(HttpResponse response, GatewayResponseInfo? info)
    {
        if (info is null)
        {
            return;
        }

        // What LiteLLM's proxy reports in x-litellm-* headers: which alias and provider answered, after how many attempts.
        response.Headers["x-modelgateway-model"] = info.Model;
        if (info.Provider is not null)
        {
            response.Headers["x-modelgateway-provider"] = info.Provider;
        }

        response.Headers["x-modelgateway-attempts"] = info.Attempts.Count.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-modelgateway-cache-hit"] = info.CacheHit ? "true" : "false";
        if (info.CostUsd is { } cost)
        {
            response.Headers["x-modelgateway-cost-usd"] = cost.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static Task FailAsync(HttpContext context, Exception exception, TimeProvider time, ILogger logger)
    {
        ApiError error = GatewayErrors.Describe(exception, time);
        if (error.Status >= StatusCodes.Status500InternalServerError && exception is not ModelGatewayException)
        {
            ChatApiLog.UnexpectedFailure(logger, Name, exception);
        }
        else
        {
            ChatApiLog.RequestFailed(logger, Name, error.Status, error.Code, exception);
        }

        return WriteErrorAsync(context, error);
    }

    internal static Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        error.ApplyHeaders(context.Response);
        return WriteJsonAsync(context.Response, error.Status, ErrorBodyOf(error), OpenAIWireJsonContext.Wire.ErrorResponse);
    }

    private static ErrorResponse ErrorBodyOf(ApiError error) =>
        new() { Error = new ErrorBody { Message = error.Message, Type = error.Type, Param = error.Param, Code = error.Code } };

    private static async Task WriteJsonAsync<T>(HttpResponse response, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, response.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
