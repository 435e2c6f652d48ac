using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using ModelGateway.Routing;

namespace ModelGateway.Gateway;

/// <summary>
/// The gateway's entry: resolves the requested alias (or the pinned one), applies conditional routes, copies the caller's
/// options (never changing them), moves the gateway metadata into the request context, runs the pipeline, and attaches
/// <see cref="GatewayResponseInfo"/> to the response or to a final streaming update.
/// </summary>
internal sealed class GatewayChatClient : IChatClient
{
    private readonly GatewayRuntime _runtime;
    private readonly string? _pinnedModel;
    private readonly ChatClientMetadata _metadata;

    public GatewayChatClient(GatewayRuntime runtime, string? pinnedModel)
    {
        _runtime = runtime;
        _pinnedModel = pinnedModel;
        _metadata = new ChatClientMetadata("modelgateway", providerUri: null, defaultModelId: pinnedModel ?? runtime.Table.DefaultModel);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayRequestContext context;
        Task<ChatResponse> call;
        try
        {
            ArgumentNullException.ThrowIfNull(messages);
            (ChatOptions requestOptions, context) = BeginRequest(messages, options, streaming: false);
            call = _runtime.Pipeline.GetResponseAsync(messages, requestOptions, cancellationToken);
        }
        catch (Exception exception)
        {
            // As from an async method: the error travels in the returned task, never thrown from the call itself.
            return FaultedAsync(exception);
        }

        if (call.IsCompletedSuccessfully)
        {
            // Answered without waiting (a cache hit, an in-memory provider): the same task carries the same response.
            AttachInfo(call.Result, context);
            return call;
        }

        return CompleteAsync(call, context);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        (ChatOptions requestOptions, GatewayRequestContext context) = BeginRequest(messages, options, streaming: true);
        await foreach (ChatResponseUpdate update in _runtime.Pipeline.GetStreamingResponseAsync(messages, requestOptions, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }

        // A final update with no contents and no message id: ToChatResponse() moves its properties onto the response.
        yield return new ChatResponseUpdate
        {
            AdditionalProperties = new() { [GatewayPropertyNames.ResponseInfo] = BuildInfo(context) },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceType.IsInstanceOfType(_runtime))
        {
            return _runtime;
        }

        return _runtime.Pipeline.GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        // The runtime (a singleton owned by the service provider) owns the pipeline and the providers.
    }

    private (ChatOptions Options, GatewayRequestContext Context) BeginRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        ModelGroup group = _runtime.Table.Resolve(_pinnedModel ?? options?.ModelId);
        var context = new GatewayRequestContext(group, _runtime.TimeProvider.GetTimestamp(), streaming);

        // The context travels beside the options (no dictionary entry to add, copy and remove on every call), unless the
        // caller passed its own ChatOptions subclass: its copy keeps its type, and the context goes in its properties.
        ChatOptions requestOptions = options is null ? new GatewayChatOptions(context)
            : options.GetType() == typeof(ChatOptions) || options is GatewayChatOptions ? new GatewayChatOptions(options, context)
            : options.Clone();
        if (requestOptions.AdditionalProperties is { } properties)
        {
            if (properties.Count > 0)
            {
                context.TakeMetadata(properties);
            }

            if (properties.Count == 0 && requestOptions is GatewayChatOptions)
            {
                requestOptions.AdditionalProperties = null;
            }
        }

        if (_runtime.Table.NeedsRouting(group))
        {
            context.Group = ConditionalRoutes.Apply(group, context, messages, requestOptions, _runtime.Table);
        }

        requestOptions.ModelId = context.Group.Name;
        if (requestOptions is not GatewayChatOptions)
        {
            (requestOptions.AdditionalProperties ??= [])[GatewayPropertyNames.Context] = context;
        }

        return (requestOptions, context);
    }

    private async Task<ChatResponse> CompleteAsync(Task<ChatResponse> call, GatewayRequestContext context)
    {
        ChatResponse response = await call.ConfigureAwait(false);
        AttachInfo(response, context);
        return response;
    }

#pragma warning disable CS1998 // Completes synchronously on purpose: the async builder faults (or cancels) the task as the entry always did.
    private static async Task<ChatResponse> FaultedAsync(Exception exception)
#pragma warning restore CS1998
    {
        ExceptionDispatchInfo.Throw(exception);
        return null!;
    }

    private void AttachInfo(ChatResponse response, GatewayRequestContext context) =>
        (response.AdditionalProperties ??= [])[GatewayPropertyNames.ResponseInfo] = BuildInfo(context);

    private GatewayResponseInfo BuildInfo(GatewayRequestContext context) => new()
    {
        Model = context.AnsweredModel ?? context.Group.Name,
        Provider = context.Provider,
        ProviderModel = context.ProviderModel,
        Attempts = context.Attempts,
        CacheHit = context.CacheHit,
        CostUsd = context.CostUsd,
        Latency = context.Latency ?? _runtime.TimeProvider.GetElapsedTime(context.StartTimestamp),
        Degraded = context.Degraded,
    };
}
