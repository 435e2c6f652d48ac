using ChatApi.Chat;
using ChatApi.Errors;
using ChatApi.Health;
using ChatApi.OpenAI;
using ChatApi.Spend;
using ChatApi.Telemetry;
using Microsoft.AspNetCore.Diagnostics;
using ModelGateway;

namespace ChatApi;

/// <summary>
/// Builds the ChatApi web application. <c>Program.cs</c> calls it with the command line; tests call it with their own
/// builder (their configuration, <c>--urls http://127.0.0.1:0</c>) and swap the providers for fakes through
/// <paramref name="configureGateway"/> of <see cref="Build(WebApplicationBuilder, Action{IModelGatewayBuilder}?)"/>.
/// </summary>
public static class ChatApiApp
{
    /// <summary>Builds the app from the command line, <c>appsettings.json</c> and the environment.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(string[] args) => Build(WebApplication.CreateBuilder(args));

    /// <summary>Adds the sample's services to <paramref name="builder"/>, builds the app and maps its endpoints.</summary>
    /// <param name="builder">A builder whose configuration holds the <c>ModelGateway</c> section.</param>
    /// <param name="configureGateway">Further gateway configuration (tests: <c>UseFakeProviders()</c>).</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(WebApplicationBuilder builder, Action<IModelGatewayBuilder>? configureGateway = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IModelGatewayBuilder gateway = builder.Services.AddModelGateway();
        configureGateway?.Invoke(gateway);

        builder.Services.ConfigureHttpJsonOptions(static options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ChatApiJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        OpenTelemetryRegistration.Add(builder.Services, builder.Configuration);

        WebApplication app = builder.Build();

        // The endpoints answer every failure they know; this is the last resort for a bug, in the caller's error format.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleUnexpectedAsync });

        ChatCompletionsEndpoint.Map(app);
        ChatEndpoint.Map(app);
        HealthEndpoints.Map(app);
        SpendEndpoint.Map(app);
        return app;
    }

    private static async Task HandleUnexpectedAsync(HttpContext context)
    {
        var error = new ApiError(StatusCodes.Status500InternalServerError, "server_error", "internal_error", "The server failed to process the request.");
        if (context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            await ChatCompletionsEndpoint.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }

        await TypedResults.Problem(detail: error.Message, statusCode: error.Status).ExecuteAsync(context).ConfigureAwait(false);
    }
}
