using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ModelGateway.Gateway;
using ModelGateway.Resilience;
using Polly.Timeout;

namespace ModelGateway.Routing;

/// <summary>
/// The innermost gateway client: for each request, calls deployments of the request's group (and its fallbacks) as the
/// <see cref="AttemptPlanner"/> decides until one answers, recording every attempt on the request context and telling
/// the <see cref="AttemptObserver"/>s. A non-streamed attempt is bounded by <c>AttemptTimeout</c> (a reused cancellation
/// source timed on the gateway's <see cref="TimeProvider"/>, <see cref="AttemptTimeouts"/>); a streamed one by <c>FirstTokenTimeout</c> and then
/// <c>StreamIdleTimeout</c> (a <see cref="StreamWatchdog"/>); no attempt or wait is planned past <c>TotalTimeout</c>.
/// Streams are retried only before their first chunk. Thread-safe: one instance serves every request.
/// </summary>
internal sealed class GatewayRouter : IChatClient
{
    private readonly RoutingTable _table;
    private readonly ResilienceOptions _resilience;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly AttemptObserver[] _observers;
    private readonly AttemptTimeouts _attemptTimeouts;

    public GatewayRouter(RoutingTable table, ResilienceOptions resilience, TimeProvider timeProvider, Random random, AttemptObserver[]? observers = null)
    {
        _table = table;
        _resilience = resilience;
        _timeProvider = timeProvider;
        _random = random;
        _observers = observers ?? [];
        _attemptTimeouts = new AttemptTimeouts(timeProvider);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayRequestContext context = ContextFor(options, streaming: false);
        var planner = new AttemptPlanner(context.Group, _table, _resilience, _random, _timeProvider, context.StartTimestamp, messages, options, streaming: false);
        while (planner.TryNext(out PlannedAttempt planned))
        {
            await WaitAsync(planned, cancellationToken).ConfigureAwait(false);
            Deployment deployment = planned.Deployment;
            ChatOptions attemptOptions = ForAttempt(options, planned.Group, deployment);
            // An attempt without a wait starts when it was planned: the planner's clock reads serve as its start.
            bool waited = planned.Delay > TimeSpan.Zero;
            long startedAt = waited ? _timeProvider.GetTimestamp() : planner.DecidedAt;
            TimeSpan limit = Min(_resilience.AttemptTimeout, planner.RemainingAt(startedAt));
            Attempt attempt = Start(context, planned, planner.TotalAttempts, planner.EstimatedInputTokens, startedAt,
                waited ? _timeProvider.GetUtcNow().UtcTicks : planner.DecidedAtUtcTicks);
            AttemptDeadline deadline = _attemptTimeouts.Start(limit, cancellationToken);
            ChatResponse? response = null;
            Exception? failure = null;
            try
            {
                response = await deployment.Client.GetResponseAsync(messages, attemptOptions, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                deadline.Release();
                Abandon(context, attempt);
                throw;
            }
            catch (OperationCanceledException cancelled) when (deadline.IsCancelled)
            {
                var timeout = new TimeoutRejectedException($"The attempt did not complete within {limit}.", limit, cancelled);
                failure = TimeoutError(deployment, LimitName(limit, "AttemptTimeout"), limit, timeout);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            // The attempt's timer is gone before its outcome is recorded: once health or observers see the outcome,
            // nothing of the attempt is still armed (a retry's wait is then the only timer of the request).
            deadline.Release();
            if (response is not null)
            {
                Succeed(context, attempt, response.Usage, response.FinishReason, response.ModelId, response.ResponseId);
                return response;
            }

            planner.OnFailure(planned, Fail(context, attempt, failure ?? NoResponse(deployment)));
        }

        return AllFailed(context, ref planner);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GatewayRequestContext context = ContextFor(options, streaming: true);
        var planner = new AttemptPlanner(context.Group, _table, _resilience, _random, _timeProvider, context.StartTimestamp, messages, options, streaming: true);
        IAsyncEnumerator<ChatResponseUpdate>? stream = null;
        StreamWatchdog? watchdog = null;
        Attempt attempt = default;
        bool hasFirst = false;

        // Until the first chunk arrives nothing has reached the caller, so any failure may still be retried elsewhere.
        while (planner.TryNext(out PlannedAttempt planned))
        {
            await WaitAsync(planned, cancellationToken).ConfigureAwait(false);
            Deployment deployment = planned.Deployment;
            ChatOptions attemptOptions = ForAttempt(options, planned.Group, deployment);
            bool waited = planned.Delay > TimeSpan.Zero;
            attempt = Start(context, planned, planner.TotalAttempts, planner.EstimatedInputTokens,
                waited ? _timeProvider.GetTimestamp() : planner.DecidedAt,
                waited ? _timeProvider.GetUtcNow().UtcTicks : planner.DecidedAtUtcTicks);
            watchdog = new StreamWatchdog(_timeProvider, cancellationToken);
            try
            {
                stream = deployment.Client.GetStreamingResponseAsync(messages, attemptOptions, watchdog.Token).GetAsyncEnumerator(watchdog.Token);
                hasFirst = await watchdog.MoveNextAsync(stream, Min(_resilience.FirstTokenTimeout, planner.Remaining)).ConfigureAwait(false);
                attempt.MarkFirstChunk(_timeProvider.GetTimestamp());
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Abandon(context, attempt);
                await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                watchdog.Dispose();
                throw;
            }
            catch (Exception exception)
            {
                await DisposeQuietlyAsync(stream).ConfigureAwait(false);
                stream = null;
                Exception failure = watchdog.TimedOut
                    ? TimeoutError(deployment, LimitName(watchdog.Limit, "FirstTokenTimeout"), watchdog.Limit, exception)
                    : exception;
                watchdog.Dispose();
                watchdog = null;
                planner.OnFailure(planned, Fail(context, attempt, failure));
            }
        }

        if (stream is not null)
        {
            attempt.Info.Deployment.FirstChunkLatency.Record(attempt.TimeToFirstChunk(_timeProvider)!.Value);
        }
        else
        {
            ChatResponse degraded = AllFailed(context, ref planner);
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
                        more = await watchdog!.MoveNextAsync(stream, _resilience.StreamIdleTimeout).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception exception)
                    {
                        // Text already reached the caller: a retry would duplicate it, so the failure surfaces.
                        ended = true;
                        Exception failure = watchdog!.TimedOut
                            ? TimeoutError(attempt.Info.Deployment, "StreamIdleTimeout", watchdog!.Limit, exception)
                            : exception;
                        ProviderException error = Fail(context, attempt, failure, summary.Usage);
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

            try
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                watchdog!.Dispose();
            }
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
        ChatOptions options = requestOptions is GatewayChatOptions gateway ? gateway.CloneWithoutContext()
            : requestOptions?.Clone() ?? new ChatOptions();
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

    private Attempt Start(GatewayRequestContext context, in PlannedAttempt planned, int number, int estimatedInputTokens, long startedAt, long startedAtUtcTicks)
    {
        var info = new AttemptInfo(planned.Group, planned.Deployment, number, planned.Delay);
        Deployment deployment = info.Deployment;
        deployment.OnStart();
        deployment.Usage.AddRequest(MinuteUsage.MinuteOf(startedAtUtcTicks), estimatedInputTokens);
        var states = new ObserverStates(_observers.Length);
        for (int i = 0; i < _observers.Length; i++)
        {
            states.Set(i, _observers[i].OnAttemptStarting(context, info));
        }

        return new Attempt(info, startedAt, states, planned.IsTrial);
    }

    private void Succeed(GatewayRequestContext context, Attempt attempt, UsageDetails? usage, ChatFinishReason? finishReason, string? responseModel, string? responseId)
    {
        Deployment deployment = attempt.Info.Deployment;
        deployment.OnSuccess();
        TimeSpan duration = _timeProvider.GetElapsedTime(attempt.StartedAt);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        deployment.Cooldown.OnSuccess(now.UtcTicks);
        if (!attempt.HasFirstChunk)
        {
            deployment.ResponseLatency.Record(duration);
        }

        if (usage?.OutputTokenCount is long output)
        {
            deployment.Usage.AddTokens(MinuteUsage.MinuteOf(now.UtcTicks), output);
        }

        context.AddAttempt(new GatewayAttempt(attempt.Info.Group.Name, deployment.Provider, deployment.ProviderModel, null, null, duration, attempt.Info.Delay));
        context.AnsweredModel = attempt.Info.Group.Name;
        context.AnsweredAt = now;
        context.Provider = deployment.Provider;
        context.ProviderModel = deployment.ProviderModel;
        Notify(context, attempt, new AttemptOutcome(duration, now, usage, finishReason, responseModel, responseId, null, abandoned: false, attempt.TimeToFirstChunk(_timeProvider)));
    }

    private ProviderException Fail(GatewayRequestContext context, Attempt attempt, Exception exception, UsageDetails? usage = null)
    {
        Deployment deployment = attempt.Info.Deployment;
        ProviderException error = FailureClassifier.Classify(exception, deployment);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        deployment.OnFailure(error.Kind, now);
        if (ErrorPolicy.CountsTowardCooldown(error.Kind))
        {
            if (deployment.Cooldown.OnFailure(now.UtcTicks, attempt.IsTrial))
            {
                for (int i = 0; i < _observers.Length; i++)
                {
                    _observers[i].OnCooldownOpened(attempt.Info, _resilience.Cooldown.Duration, error.Kind);
                }
            }
        }
        else
        {
            // The deployment answered; the request was at fault, so its health is as good as after a success.
            deployment.Cooldown.OnSuccess(now.UtcTicks);
            deployment.Cooldown.OnReleased(attempt.IsTrial);
        }

        TimeSpan duration = _timeProvider.GetElapsedTime(attempt.StartedAt);
        if (error.Kind == ProviderErrorKind.Timeout)
        {
            // A deployment that times out is slow: let LowestLatency see it.
            (!attempt.HasFirstChunk && context.IsStreaming ? deployment.FirstChunkLatency : deployment.ResponseLatency).Record(duration);
        }

        context.AddAttempt(new GatewayAttempt(attempt.Info.Group.Name, deployment.Provider, deployment.ProviderModel, error.Kind, error.StatusCode, duration, attempt.Info.Delay));
        Notify(context, attempt, new AttemptOutcome(duration, now, usage, null, null, null, error, abandoned: false, attempt.TimeToFirstChunk(_timeProvider)));
        return error;
    }

    private void Abandon(GatewayRequestContext context, Attempt attempt, UsageDetails? usage = null)
    {
        attempt.Info.Deployment.OnAbandoned();
        attempt.Info.Deployment.Cooldown.OnReleased(attempt.IsTrial);
        Notify(context, attempt, new AttemptOutcome(_timeProvider.GetElapsedTime(attempt.StartedAt), _timeProvider.GetUtcNow(), usage, null, null, null, null, abandoned: true, attempt.TimeToFirstChunk(_timeProvider)));
    }

    private void Notify(GatewayRequestContext context, Attempt attempt, in AttemptOutcome outcome)
    {
        for (int i = 0; i < _observers.Length; i++)
        {
            _observers[i].OnAttemptCompleted(context, attempt.Info, attempt.States[i], outcome);
        }
    }

    private ChatResponse AllFailed(GatewayRequestContext context, ref AttemptPlanner planner)
    {
        ProviderException last = planner.LastError
            ?? new ProviderException(ProviderErrorKind.Timeout, $"TotalTimeout ({_resilience.TotalTimeout}) passed before model '{context.Group.Name}' could be called.");
        if (_resilience.OnAllFailed.Message is { } message && !ErrorPolicy.StopsRequest(last.Kind))
        {
            context.Degraded = true;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, message)) { FinishReason = ChatFinishReason.Stop };
        }

        IReadOnlyList<GatewayAttempt> attempts = [.. context.Attempts];
        if (attempts.Count <= 1 || ErrorPolicy.StopsRequest(last.Kind))
        {
            throw ProviderExceptionWithAttempts(last, attempts);
        }

        string timedOut = planner.TimeRanOut ? $" (TotalTimeout {_resilience.TotalTimeout} reached)" : string.Empty;
        throw new ModelGatewayException(
            $"Every option failed for model '{context.Group.Name}' after {attempts.Count} attempts{timedOut}; the last: {last.Message}",
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

    /// <summary>Waits out a planned attempt's backoff; the caller's cancellation frees a half-open trial it had claimed.</summary>
    private async ValueTask WaitAsync(PlannedAttempt planned, CancellationToken cancellationToken)
    {
        if (planned.Delay <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(planned.Delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            planned.Deployment.Cooldown.OnReleased(planned.IsTrial);
            throw;
        }
    }

    private static TimeSpan Min(TimeSpan limit, TimeSpan remaining) => remaining < limit ? remaining : limit;

    /// <summary>Names the limit that cut an attempt short: its own, or TotalTimeout when what was left of it was shorter.</summary>
    private string LimitName(TimeSpan applied, string own) =>
        applied < (own == "AttemptTimeout" ? _resilience.AttemptTimeout : _resilience.FirstTokenTimeout) ? "TotalTimeout" : own;

    private static ProviderException NoResponse(Deployment deployment) =>
        new(ProviderErrorKind.InvalidResponse, $"Provider '{deployment.Provider}' returned no response for model '{deployment.ProviderModel}'.")
        {
            Provider = deployment.Provider,
            ProviderModel = deployment.ProviderModel,
        };

    private static ProviderException TimeoutError(Deployment deployment, string limitName, TimeSpan limit, Exception inner) =>
        new(ProviderErrorKind.Timeout, $"Provider '{deployment.Provider}' did not answer for model '{deployment.ProviderModel}' within {limitName} ({limit}).", inner)
        {
            Provider = deployment.Provider,
            ProviderModel = deployment.ProviderModel,
        };

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
        public Attempt(AttemptInfo info, long startedAt, ObserverStates states, bool isTrial)
        {
            Info = info;
            StartedAt = startedAt;
            States = states;
            IsTrial = isTrial;
        }

        public AttemptInfo Info { get; }

        public long StartedAt { get; }

        public ObserverStates States { get; }

        /// <summary>Gets whether this attempt is its deployment's half-open trial.</summary>
        public bool IsTrial { get; }

        public long FirstChunkAt { get; private set; }

        /// <summary>Gets whether a stream's first chunk (or its end) arrived; a timestamp of 0 is a valid time, so it is not the marker.</summary>
        public bool HasFirstChunk { get; private set; }

        public void MarkFirstChunk(long timestamp)
        {
            FirstChunkAt = timestamp;
            HasFirstChunk = true;
        }

        public readonly TimeSpan? TimeToFirstChunk(TimeProvider time) => HasFirstChunk ? time.GetElapsedTime(StartedAt, FirstChunkAt) : null;
    }

    /// <summary>Each observer's state for one attempt: inline for up to two observers (the gateway registers two), an array above.</summary>
    private struct ObserverStates
    {
        private readonly object?[]? _many;
        private object? _first;
        private object? _second;

        public ObserverStates(int count)
        {
            _many = count > 2 ? new object?[count] : null;
        }

        public readonly object? this[int index] => _many is not null ? _many[index] : index == 0 ? _first : _second;

        public void Set(int index, object? state)
        {
            if (_many is not null)
            {
                _many[index] = state;
            }
            else if (index == 0)
            {
                _first = state;
            }
            else
            {
                _second = state;
            }
        }
    }
}
