using System.Text.Json;
using ChatApi.Errors;
using Microsoft.Extensions.AI;
using ModelGateway;

namespace ChatApi.Chat;

/// <summary>
/// <c>POST /api/chat</c>: <c>{ "message", "user_id" }</c> → <c>{ "reply", "model_used" }</c> on the <c>primary-chat</c> alias,
/// whose configured fallback is <c>fallback-chat</c>. Bad input is a 400 naming each field at fault; a provider failure is
/// a 502, a timeout a 504, a rate limit or spent budget a 429 with <c>Retry-After</c> — never a bare 500.
/// </summary>
internal static class ChatEndpoint
{
    /// <summary>The alias the endpoint is pinned to.</summary>
    public const string Model = "primary-chat";

    /// <summary>The gateway feature its requests are recorded under.</summary>
    public const string Feature = "web_chat";

    public const int MaxMessageLength = 4000;

    public const int MaxUserIdLength = 64;

    private const string Name = "POST /api/chat";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost("/api/chat", HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpContext context, [FromKeyedServices(Model)] IChatClient chat, TimeProvider time, ILoggerFactory loggers)
    {
        CancellationToken cancellationToken = context.RequestAborted;
        ChatRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, ChatApiJsonContext.Default.ChatRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException json)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [$"The body is not valid JSON or a field has the wrong type (at {json.Path ?? "$"})."] },
                title: "The request is invalid.");
        }

        Dictionary<string, string[]>? errors = Validate(request);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        }

        ChatOptions options = new ChatOptions().WithUser(request!.UserId).WithFeature(Feature);
        try
        {
            ChatResponse response = await chat.GetResponseAsync(request.Message!, options, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new ChatReply(response.Text, response.GetGatewayInfo()?.Model ?? Model));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Empty; // the client went away
        }
        catch (Exception exception)
        {
            ApiError error = GatewayErrors.Describe(exception, time);
            ILogger logger = loggers.CreateLogger(typeof(ChatEndpoint).FullName!);
            if (exception is ModelGatewayException)
            {
                ChatApiLog.RequestFailed(logger, Name, error.Status, error.Code, exception);
            }
            else
            {
                ChatApiLog.UnexpectedFailure(logger, Name, exception);
            }

            error.ApplyHeaders(context.Response);
            return TypedResults.Problem(
                detail: error.Message,
                statusCode: error.Status,
                extensions: error.Code is null ? null : new Dictionary<string, object?> { ["code"] = error.Code });
        }
    }

    /// <summary>Returns every problem with the request by field, or null when it is valid.</summary>
    internal static Dictionary<string, string[]>? Validate(ChatRequest? request)
    {
        if (request is null)
        {
            return new() { ["body"] = ["The body must be a JSON object with 'message' and 'user_id'."] };
        }

        Dictionary<string, string[]>? errors = null;
        if (string.IsNullOrWhiteSpace(request.Message))
        {
            (errors ??= [])["message"] = ["'message' is required and must not be blank."];
        }
        else if (request.Message.Length > MaxMessageLength)
        {
            (errors ??= [])["message"] = [$"'message' must be at most {MaxMessageLength} characters; it has {request.Message.Length}."];
        }

        if (string.IsNullOrWhiteSpace(request.UserId))
        {
            (errors ??= [])["user_id"] = ["'user_id' is required."];
        }
        else if (request.UserId.Length > MaxUserIdLength)
        {
            (errors ??= [])["user_id"] = [$"'user_id' must be at most {MaxUserIdLength} characters."];
        }
        else if (!IsIdentifier(request.UserId))
        {
            // User ids become budget keys, rate-limit partitions and metric tags: keep them to a safe alphabet.
            (errors ??= [])["user_id"] = ["'user_id' may contain only letters, digits and '-', '_', '.', '@'."];
        }

        return errors;
    }

    private static bool IsIdentifier(string value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or '@'))
            {
                return false;
            }
        }

        return true;
    }
}
