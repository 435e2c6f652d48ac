using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ModelGateway.Gateway;
using ModelGateway.Resilience;

namespace ModelGateway.Routing;

/// <summary>
/// The innermost gateway client: for each request, calls deployments of the request's group (and its fallbacks) until
/// one answers, recording every attempt on the request context and telling the <see cref="AttemptObserver"/>s.
/// Streams are retried only before their first chunk.
/// </summary>
internal sealed class GatewayRouter : IChatClient
{
    private readonly RoutingTable _table;
    private readonly ResilienceOptions _resilience;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly AttemptObserver[] _observers;

    public GatewayRouter(RoutingTable table, ResilienceOptions resilience, TimeProvider timeProvider, Random random, AttemptObserver[]? observers = null)
    {
        _table = table;
        _resilience = resilience;
        _timeProvider = timeProvider;
        _random = random;
        _observers = observers ?? [];
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayRequestContext context = ContextFor(options, streaming: false);
        var planner = new AttemptPlanner(context.Group, _table, _resilience, _random);
        while (planner.TryNext(out Deployment deployment, out ModelGroup group, out TimeSpan delay))
        {
            await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            ChatOptions attemptOptions = ForAttempt(options, group, deployment);
            Attempt attempt = Start(context, new AttemptInfo(group, deployment, planner.TotalAttempts, delay));
            try
            {
                ChatResponse response = await deployment.Client.GetResponseAsync(messages, attemptOptions, cancellationToken).ConfigureAwait(false);
                Succeed(context, attempt, response.Usage, response.FinishReason, response.ModelId, response.ResponseId);
                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Abandon(context, attempt);
                throw;
            }
            catch (Exception exception)
            {
                planner.OnFailure(deployment, Fail(context, attempt, exception));
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
        Attempt attempt = default;
        bool hasFirst = false;

        // Until the first chunk arrives nothing has reached the caller, so any failure may still be retried elsewhere.
        while (planner.TryNext(out Deployment deployment, out ModelGroup group, out TimeSpan delay))
        {
            await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            ChatOptions attemptOptions = ForAttempt(options, group, deployment);
            attempt = Start(context, new AttemptInfo(group, deployment, planner.TotalAttempts, delay));
            try
            {
                stream = deployment.Client.GetStreamingResponseAsync(messages, attemptOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
                hasFirst = await stream.MoveNextAsync().ConfigureAwait(false);
                attempt.FirstChunkAt = _timeProvider.GetTimestamp();
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Abandon(context, attempt);
                await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                throw;
            }
            catch (Exception exception)
            {
                await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                stream = null;
                planner.OnFailure(deployment, Fail(context, attempt, exception));
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

        var summary = new StreamSummary();
        bool ended = false;
        try
        {
            if (hasFirst)
            {
                summary.Observe(stream.Current);
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
                        ended = true;
                        ProviderException error = Fail(context, attempt, exception, summary.Usage);
                        context.AnsweredModel = attempt.Info.Group.Name;
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

                    summary.Observe(stream.Current);
                    yield return stream.Current;
                }
            }

            ended = true;
            Succeed(context, attempt, summary.Usage, summary.FinishReason, summary.ModelId, summary.ResponseId);
        }
        finally
        {
            if (!ended)
            {
                // The caller stopped enumerating (break, dispose or cancellation): not a provider failure.
                Abandon(context, attempt, summary.Usage);
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

    private Attempt Start(GatewayRequestContext context, AttemptInfo info)
    {
        info.Deployment.OnStart();
        object?[]? states = null;
        if (_observers.Length > 0)
        {
            states = new object?[_observers.Length];
            for (int i = 0; i < _observers.Length; i++)
            {
                states[i] = _observers[i].OnAttemptStarting(context, info);
            }
        }

        return new Attempt(info, _timeProvider.GetTimestamp(), states);
    }

    private void Succeed(GatewayRequestContext context, Attempt attempt, UsageDetails? usage, ChatFinishReason? finishReason, string? responseModel, string? responseId)
    {
        Deployment deployment = attempt.Info.Deployment;
        deployment.OnSuccess();
        TimeSpan duration = _timeProvider.GetElapsedTime(attempt.StartedAt);
        context.AddAttempt(new GatewayAttempt(attempt.Info.Group.Name, deployment.Provider, deployment.ProviderModel, null, null, duration, attempt.Info.Delay));
        context.AnsweredModel = attempt.Info.Group.Name;
        context.Provider = deployment.Provider;
        context.ProviderModel = deployment.ProviderModel;
        Notify(context, attempt, new AttemptOutcome(duration, usage, finishReason, responseModel, responseId, null, abandoned: false, attempt.TimeToFirstChunk(_timeProvider)));
    }

    private ProviderException Fail(GatewayRequestContext context, Attempt attempt, Exception exception, UsageDetails? usage = null)
    {
        Deployment deployment = attempt.Info.Deployment;
        ProviderException error = FailureClassifier.Classify(exception, deployment);
        deployment.OnFailure(error.Kind, _timeProvider.GetUtcNow());
        TimeSpan duration = _timeProvider.GetElapsedTime(attempt.StartedAt);
        context.AddAttempt(new GatewayAttempt(attempt.Info.Group.Name, deployment.Provider, deployment.ProviderModel, error.Kind, error.StatusCode, duration, attempt.Info.Delay));
        Notify(context, attempt, new AttemptOutcome(duration, usage, null, null, null, error, abandoned: false, attempt.TimeToFirstChunk(_timeProvider)));
        return error;
    }

    private void Abandon(GatewayRequestContext context, Attempt attempt, UsageDetails? usage = null)
    {
        attempt.Info.Deployment.OnAbandoned();
        Notify(context, attempt, new AttemptOutcome(_timeProvider.GetElapsedTime(attempt.StartedAt), usage, null, null, null, null, abandoned: true, attempt.TimeToFirstChunk(_timeProvider)));
    }

    private void Notify(GatewayRequestContext context, Attempt attempt, in AttemptOutcome outcome)
    {
        for (int i = 0; i < _observers.Length; i++)
        {
            _observers[i].OnAttemptCompleted(context, attempt.Info, attempt.States![i], outcome);
        }
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

    /// <summary>One attempt in progress: what it is, when it started, and each observer's state.</summary>
    private struct Attempt
    {
        public Attempt(AttemptInfo info, long startedAt, object?[]? states)
        {
            Info = info;
            StartedAt = startedAt;
            States = states;
        }

        public AttemptInfo Info { get; }

        public long StartedAt { get; }

        public object?[]? States { get; }

        public long FirstChunkAt { get; set; }

        public readonly TimeSpan? TimeToFirstChunk(TimeProvider time) => FirstChunkAt == 0 ? null : time.GetElapsedTime(StartedAt, FirstChunkAt);
    }
}
