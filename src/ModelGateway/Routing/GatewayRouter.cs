using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ModelGateway.Gateway;
using ModelGateway.Resilience;

namespace ModelGateway.Routing;

/// <summary>
/// The innermost gateway client: for each request, calls deployments of the request's group (and its fallbacks) until
/// one answers, recording every attempt on the request context. Streams are retried only before their first chunk.
/// </summary>
internal sealed class GatewayRouter : IChatClient
{
    private readonly RoutingTable _table;
    private readonly ResilienceOptions _resilience;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;

    public GatewayRouter(RoutingTable table, ResilienceOptions resilience, TimeProvider timeProvider, Random random)
    {
        _table = table;
        _resilience = resilience;
        _timeProvider = timeProvider;
        _random = random;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayRequestContext context = ContextFor(options, streaming: false);
        var planner = new AttemptPlanner(context.Group, _table, _resilience, _random);
        while (planner.TryNext(out Deployment deployment, out ModelGroup group, out TimeSpan delay))
        {
            await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            ChatOptions attemptOptions = ForAttempt(options, group, deployment);
            long start = _timeProvider.GetTimestamp();
            deployment.OnStart();
            try
            {
                ChatResponse response = await deployment.Client.GetResponseAsync(messages, attemptOptions, cancellationToken).ConfigureAwait(false);
                deployment.OnSuccess();
                RecordSuccess(context, group, deployment, start, delay);
                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                deployment.OnAbandoned();
                throw;
            }
            catch (Exception exception)
            {
                planner.OnFailure(deployment, RecordFailure(context, group, deployment, exception, start, delay));
            }
        }

        return AllFailed(context, planner);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GatewayRequestContext context = ContextFor(options, streaming: true);
        var planner = new AttemptPlanner(context.Group, _table, _resilience, _random);
        IAsyncEnumerator<ChatResponseUpdate>? stream = null;
        Deployment? current = null;
        ModelGroup? currentGroup = null;
        long start = 0;
        TimeSpan currentDelay = TimeSpan.Zero;
        bool hasFirst = false;

        // Until the first chunk arrives nothing has reached the caller, so any failure may still be retried elsewhere.
        while (planner.TryNext(out Deployment deployment, out ModelGroup group, out TimeSpan delay))
        {
            await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            ChatOptions attemptOptions = ForAttempt(options, group, deployment);
            start = _timeProvider.GetTimestamp();
            deployment.OnStart();
            try
            {
                stream = deployment.Client.GetStreamingResponseAsync(messages, attemptOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
                hasFirst = await stream.MoveNextAsync().ConfigureAwait(false);
                current = deployment;
                currentGroup = group;
                currentDelay = delay;
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                deployment.OnAbandoned();
                await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                throw;
            }
            catch (Exception exception)
            {
                await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                stream = null;
                planner.OnFailure(deployment, RecordFailure(context, group, deployment, exception, start, delay));
            }
        }

        if (stream is null)
        {
            ChatResponse degraded = AllFailed(context, planner);
            foreach (ChatResponseUpdate update in degraded.ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        bool completed = false;
        bool failed = false;
        try
        {
            if (hasFirst)
            {
                yield return stream.Current;
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await stream.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception exception)
                    {
                        // Text already reached the caller: a retry would duplicate it, so the failure surfaces.
                        failed = true;
                        ProviderException error = RecordFailure(context, currentGroup!, current!, exception, start, currentDelay);
                        context.AnsweredModel = currentGroup!.Name;
                        if (ReferenceEquals(error, exception))
                        {
                            throw;
                        }

                        throw error;
                    }

                    if (!more)
                    {
                        break;
                    }

                    yield return stream.Current;
                }
            }

            completed = true;
            current!.OnSuccess();
            RecordSuccess(context, currentGroup!, current, start, currentDelay);
        }
        finally
        {
            if (!completed && !failed)
            {
                // The caller stopped enumerating (break, dispose or cancellation): not a provider failure.
                current!.OnAbandoned();
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The router owns nothing; the runtime owns the provider clients.
    }

    /// <summary>Builds the options one attempt sends: the request's options with the deployment's model and the group's defaults.</summary>
    internal static ChatOptions ForAttempt(ChatOptions? requestOptions, ModelGroup group, Deployment deployment)
    {
        ChatOptions options = requestOptions?.Clone() ?? new ChatOptions();
        if (options.AdditionalProperties is { } properties)
        {
            properties.Remove(GatewayPropertyNames.Context);
            RemoveGatewayKeys(properties);
            if (properties.Count == 0)
            {
                options.AdditionalProperties = null;
            }
        }

        options.ModelId = deployment.ProviderModel;
        if (group.HasDefaults)
        {
            options.Temperature ??= group.Temperature;
            options.TopP ??= group.TopP;
            options.MaxOutputTokens ??= group.MaxOutputTokens;
            options.Instructions ??= group.SystemPrompt;
        }

        return options;
    }

    private static void RemoveGatewayKeys(AdditionalPropertiesDictionary properties)
    {
        // Only reached with keys the entry did not take (an app decorator added them after it): rare, so a list is fine.
        List<string>? keys = null;
        foreach (KeyValuePair<string, object?> pair in properties)
        {
            if (GatewayPropertyNames.IsGatewayKey(pair.Key))
            {
                (keys ??= []).Add(pair.Key);
            }
        }

        if (keys is not null)
        {
            foreach (string key in keys)
            {
                properties.Remove(key);
            }
        }
    }

    private GatewayRequestContext ContextFor(ChatOptions? options, bool streaming) =>
        GatewayRequestContext.Get(options)
        ?? new GatewayRequestContext(_table.Resolve(options?.ModelId), _timeProvider.GetTimestamp(), streaming);

    private ProviderException RecordFailure(GatewayRequestContext context, ModelGroup group, Deployment deployment, Exception exception, long start, TimeSpan delay)
    {
        ProviderException error = FailureClassifier.Classify(exception, deployment);
        deployment.OnFailure(error.Kind, _timeProvider.GetUtcNow());
        context.AddAttempt(new GatewayAttempt(group.Name, deployment.Provider, deployment.ProviderModel, error.Kind, error.StatusCode, _timeProvider.GetElapsedTime(start), delay));
        return error;
    }

    private void RecordSuccess(GatewayRequestContext context, ModelGroup group, Deployment deployment, long start, TimeSpan delay)
    {
        context.AddAttempt(new GatewayAttempt(group.Name, deployment.Provider, deployment.ProviderModel, null, null, _timeProvider.GetElapsedTime(start), delay));
        context.AnsweredModel = group.Name;
        context.Provider = deployment.Provider;
        context.ProviderModel = deployment.ProviderModel;
    }

    private ChatResponse AllFailed(GatewayRequestContext context, AttemptPlanner planner)
    {
        ProviderException last = planner.LastError!;
        if (_resilience.OnAllFailed.Message is { } message && !ErrorPolicy.StopsRequest(last.Kind))
        {
            context.Degraded = true;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, message)) { FinishReason = ChatFinishReason.Stop };
        }

        IReadOnlyList<GatewayAttempt> attempts = [.. context.Attempts];
        if (attempts.Count == 1 || ErrorPolicy.StopsRequest(last.Kind))
        {
            throw ProviderExceptionWithAttempts(last, attempts);
        }

        throw new ModelGatewayException(
            $"Every option failed for model '{context.Group.Name}' after {attempts.Count} attempts; the last: {last.Message}",
            attempts,
            last);
    }

    private static ProviderException ProviderExceptionWithAttempts(ProviderException error, IReadOnlyList<GatewayAttempt> attempts) =>
        new(error.Kind, error.Message, error, attempts)
        {
            Provider = error.Provider,
            ProviderModel = error.ProviderModel,
            StatusCode = error.StatusCode,
            RetryAfter = error.RetryAfter,
            ProviderErrorCode = error.ProviderErrorCode,
        };

    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, _timeProvider, cancellationToken) : Task.CompletedTask;

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate>? stream)
    {
        if (stream is null)
        {
            return;
        }

        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The attempt already failed; a second failure while closing it changes nothing for the caller.
        }
    }
}
