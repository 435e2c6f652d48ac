using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using ModelGateway.Buffers;
using ModelGateway.Gateway;

namespace ModelGateway.Caching;

/// <summary>
/// The exact-match response cache (<c>BEHAVIOR.md</c>, Cache) over an <see cref="IDistributedCache"/>. A hit answers
/// without touching a provider; a non-streaming miss on a cold key is shared by every concurrent identical request
/// (single flight); a streamed miss passes through chunk by chunk and is stored once it completed; a hit on a streaming
/// request is replayed as updates. The cache never fails a request: a corrupt entry is a miss (and is overwritten), a
/// backend that throws or does not answer in time means no caching for that call.
/// </summary>
/// <remarks>Thread-safe. Each caller receives its own response object, deserialized from the stored bytes.</remarks>
internal sealed class ResponseCachingChatClient : DelegatingChatClient
{
    private readonly IDistributedCache _cache;
    private readonly CacheOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _operationTimeout;
    private readonly ConcurrentDictionary<string, CacheFlight> _flights = new(StringComparer.Ordinal);
    private readonly ReusePool<PooledJsonWriter> _writers = new();
    private readonly ReusePool<CacheKeyHasher> _hashers = new();
    private readonly ReusePool<StreamedAnswer> _answers = new();

    // The backends read the options and keep nothing of them; a relative lifetime is the same for every entry.
    private readonly DistributedCacheEntryOptions? _defaultEntryOptions;

    public ResponseCachingChatClient(IChatClient inner, IDistributedCache cache, CacheOptions options, TimeProvider timeProvider, ILogger logger, TimeSpan operationTimeout)
        : base(inner)
    {
        _cache = cache;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _operationTimeout = operationTimeout;
        _defaultEntryOptions = options.Ttl > TimeSpan.Zero ? new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Ttl } : null;
    }

    /// <summary>Gets the number of upstream calls on cold keys currently shared (for tests and diagnostics).</summary>
    internal int FlightsInProgress => _flights.Count;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        GatewayRequestContext? context = GatewayRequestContext.Get(options);
        string? key = context is null || context.CacheMode == CacheMode.Bypass ? null : KeyFor(context, messages, options!);
        if (key is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        if (context!.CacheMode == CacheMode.Refresh)
        {
            ChatResponse fresh = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            if (IsStorable(context, fresh) && TrySerialize(context, fresh, key) is { } payload)
            {
                await StoreAsync(key, payload, context).ConfigureAwait(false);
            }

            return fresh;
        }

        (CacheLookup lookup, CacheEntry entry) = await ReadAsync(key, context, cancellationToken).ConfigureAwait(false);
        switch (lookup)
        {
            case CacheLookup.Hit:
                return Hit(context, entry);
            case CacheLookup.Unavailable:
                return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        // Adding first: on a cold key (what a miss nearly always is) the table is searched once, not twice.
        var started = new CacheFlight(cancellationToken.CanBeCanceled);
        while (!_flights.TryAdd(key, started))
        {
            if (_flights.TryGetValue(key, out CacheFlight? flight))
            {
                if (flight.TryJoin())
                {
                    ChatResponse? shared = await FollowAsync(flight, context, cancellationToken).ConfigureAwait(false);
                    return shared ?? await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                }

                // Every caller of that flight gave up and it is being cancelled: start a new one.
                _flights.TryRemove(new KeyValuePair<string, CacheFlight>(key, flight));
            }
        }

        // The leader gets the response itself; only followers (if any arrive) get copies through the flight.
        ValueTask<ChatResponse> run = RunFlightAsync(started, key, messages, options!, context);
        if (run.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            // Nothing to stop waiting for: no cancellation source, no waiting task.
            return await run.ConfigureAwait(false);
        }

        return await LeadAsync(started, run.AsTask(), cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GatewayRequestContext? context = GatewayRequestContext.Get(options);
        string? key = context is null || context.CacheMode == CacheMode.Bypass || !_options.CacheStreaming ? null : KeyFor(context, messages, options!);
        bool store = key is not null && context!.CacheMode != CacheMode.NoStore;
        if (key is not null && context!.CacheMode != CacheMode.Refresh)
        {
            (CacheLookup lookup, CacheEntry entry) = await ReadAsync(key, context, cancellationToken).ConfigureAwait(false);
            ChatResponse? replay = null;
            if (lookup == CacheLookup.Hit)
            {
                replay = Hit(context, entry);
            }
            else if (lookup == CacheLookup.Unavailable)
            {
                store = false;
            }
            else if (_flights.TryGetValue(key, out CacheFlight? flight) && flight.TryJoin())
            {
                // A non-streaming request is already fetching this answer: wait for it rather than pay twice.
                replay = await FollowAsync(flight, context, cancellationToken).ConfigureAwait(false);
            }

            if (replay is not null)
            {
                foreach (ChatResponseUpdate update in replay.ToChatResponseUpdates())
                {
                    yield return update;
                }

                yield break;
            }
        }

        // A streamed miss is not coalesced: its chunks reach this caller as they arrive, at this caller's pace.
        // A text-only stream is assembled in one pooled buffer as it passes, without keeping the updates. The assembler
        // is this stream's alone until the stream ends (or is disposed); then it is cleared and kept for another one.
        StreamedAnswer? answer = store ? _answers.Rent() : null;
        try
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                answer?.Add(update);
                yield return update;
            }

            // Reached only when the stream completed: an error or an abandoned enumeration never gets here.
            if (answer is not null && !context!.Degraded)
            {
                byte[]? payload = answer.IsPlain
                    ? (answer.IsStorablePlain ? SerializePlain(context, answer) : null)
                    : TrySerializeStorable(context, answer.ToChatResponse(), key!);
                if (payload is not null)
                {
                    await StoreAsync(key!, payload, context).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (answer is not null)
            {
                answer.Reset();
                _answers.Return(answer);
            }
        }
    }

    private byte[]? TrySerializeStorable(GatewayRequestContext context, ChatResponse response, string key) =>
        IsStorable(context, response) ? TrySerialize(context, response, key) : null;

    private byte[] SerializePlain(GatewayRequestContext context, StreamedAnswer answer)
    {
        TimeSpan ttl = context.CacheTtl ?? _options.Ttl;
        PooledJsonWriter writer = _writers.Rent();
        try
        {
            return CacheEntrySerializer.Write(writer, _timeProvider.GetUtcNow() + ttl, context.AnsweredModel ?? context.Group.Name, context.Provider, context.ProviderModel, answer.GetSnapshot());
        }
        finally
        {
            _writers.Return(writer);
        }
    }

    private static bool IsStorable(GatewayRequestContext context, ChatResponse response) =>
        !context.Degraded
        && response.ConversationId is null
        && response.ContinuationToken is null
        && response.FinishReason != ChatFinishReason.ContentFilter
        && response.Messages.Count > 0;

    private static ChatResponse Hit(GatewayRequestContext context, in CacheEntry entry)
    {
        context.CacheHit = true;
        context.CostUsd = 0m;
        context.AnsweredModel = entry.Model;
        context.Provider = entry.Provider;
        context.ProviderModel = entry.ProviderModel;
        return entry.Response;
    }

    private string? KeyFor(GatewayRequestContext context, IEnumerable<ChatMessage> messages, ChatOptions options)
    {
        // Server-side conversation state (or a background response) makes the answer depend on more than the request.
        if (options.ConversationId is not null || options.ContinuationToken is not null || options.AllowBackgroundResponses == true)
        {
            return null;
        }

        CacheScope scope = _options.Scope;
        string? scopeValue = scope switch
        {
            CacheScope.User => context.User,
            CacheScope.Team => context.Team,
            CacheScope.Feature => context.Feature,
            _ => null,
        };

        if (scope != CacheScope.Global && scopeValue is null)
        {
            // No user (team, feature) to scope by: sharing across every anonymous caller is what the scope forbids.
            CacheLog.NotCacheable(_logger, context.Group.Name, "the request has no value for the cache scope");
            return null;
        }

        CacheKeyHasher hasher = _hashers.Rent();
        string? key;
        try
        {
            key = CacheKeyBuilder.TryBuild(hasher, context.Group, scope, scopeValue, messages, options);
        }
        finally
        {
            _hashers.Return(hasher);
        }

        if (key is null)
        {
            CacheLog.NotCacheable(_logger, context.Group.Name, "the request holds a raw representation factory, a tool, content or value the key cannot describe");
        }

        return key;
    }

    private async ValueTask<(CacheLookup Lookup, CacheEntry Entry)> ReadAsync(string key, GatewayRequestContext context, CancellationToken cancellationToken)
    {
        byte[]? data;
        try
        {
            Task<byte[]?> read = _cache.GetAsync(key, cancellationToken);
            data = read.IsCompletedSuccessfully
                ? read.Result
                : await read.WaitAsync(_operationTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            CacheLog.ReadFailed(_logger, context.Group.Name, exception);
            return (CacheLookup.Unavailable, default);
        }

        if (data is null)
        {
            return (CacheLookup.Miss, default);
        }

        switch (CacheEntrySerializer.TryRead(data, _timeProvider.GetUtcNow(), context.Group, out CacheEntry entry))
        {
            case CacheReadResult.Hit:
                return (CacheLookup.Hit, entry);
            case CacheReadResult.Corrupt:
                CacheLog.CorruptEntry(_logger, context.Group.Name);
                return (CacheLookup.Miss, default);
            default:
                return (CacheLookup.Miss, default);
        }
    }

    /// <summary>Waits for the leader's own flight; a leader that cancels stops waiting at once and leaves the call to the others.</summary>
    private static async Task<ChatResponse> LeadAsync(CacheFlight flight, Task<ChatResponse> run, CancellationToken cancellationToken)
    {
        try
        {
            return await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !run.IsCompleted)
        {
            flight.Leave();

            // Nobody awaits the call any more: its failure must not resurface as an unobserved task exception.
            _ = run.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Makes the shared upstream call, stores the answer and hands it to the followers.</summary>
    /// <returns>The response, for the leader; completes synchronously when the provider and the store do.</returns>
    private async ValueTask<ChatResponse> RunFlightAsync(CacheFlight flight, string key, IEnumerable<ChatMessage> messages, ChatOptions options, GatewayRequestContext leader)
    {
        ChatResponse response;
        byte[]? payload;
        try
        {
            response = await base.GetResponseAsync(messages, options, flight.Token).ConfigureAwait(false);
            bool storable = leader.CacheMode != CacheMode.NoStore && IsStorable(leader, response);

            // Followers get copies from the serialized entry, taken before the leader's caller can change the response.
            payload = storable || flight.HasFollowers ? TrySerialize(leader, response, key) : null;
            if (storable && payload is not null)
            {
                await StoreAsync(key, payload, leader).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            _flights.TryRemove(new KeyValuePair<string, CacheFlight>(key, flight));
            flight.Fail(exception);
            throw;
        }

        // Out of the table before completing, so a request arriving from now on finds the entry, not the flight.
        _flights.TryRemove(new KeyValuePair<string, CacheFlight>(key, flight));
        flight.Complete(new CacheFlightResult(payload, leader.Degraded));
        return response;
    }

    /// <summary>Waits for a flight someone else started and returns this caller's own copy of its answer.</summary>
    /// <returns>The copy, or <see langword="null"/> when the answer could not be copied and the caller must ask itself.</returns>
    private async Task<ChatResponse?> FollowAsync(CacheFlight flight, GatewayRequestContext context, CancellationToken cancellationToken)
    {
        CacheFlightResult result;
        try
        {
            result = await flight.WaitForResult().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            flight.Leave();
        }

        if (result.Payload is null || CacheEntrySerializer.TryRead(result.Payload, DateTimeOffset.MinValue, context.Group, out CacheEntry entry) != CacheReadResult.Hit)
        {
            return null;
        }

        if (result.Degraded)
        {
            context.Degraded = true;
            context.AnsweredModel = entry.Model;
            return entry.Response;
        }

        return Hit(context, entry);
    }

    private byte[]? TrySerialize(GatewayRequestContext context, ChatResponse response, string key)
    {
        TimeSpan ttl = context.CacheTtl ?? _options.Ttl;
        // The answer's own time (the router read the clock when it arrived) rather than another read of the same clock.
        var entry = new CacheEntry((context.AnsweredAt ?? _timeProvider.GetUtcNow()) + ttl, context.AnsweredModel ?? context.Group.Name, context.Provider, context.ProviderModel, response);
        PooledJsonWriter writer = _writers.Rent();
        try
        {
            return CacheEntrySerializer.Write(writer, entry);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            CacheLog.NotSerializable(_logger, context.Group.Name, exception);
            return null;
        }
        finally
        {
            _writers.Return(writer);
        }
    }

    private async Task StoreAsync(string key, byte[] payload, GatewayRequestContext context)
    {
        // The backend evicts on its own clock; the expiry inside the entry (on the gateway's clock) is what reads check.
        TimeSpan ttl = context.CacheTtl ?? _options.Ttl;
        DistributedCacheEntryOptions entryOptions = _defaultEntryOptions is { } shared && shared.AbsoluteExpirationRelativeToNow == ttl
            ? shared
            : new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl };
        try
        {
            Task write = _cache.SetAsync(key, payload, entryOptions, CancellationToken.None);
            if (!write.IsCompletedSuccessfully)
            {
                await write.WaitAsync(_operationTimeout, _timeProvider).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            CacheLog.WriteFailed(_logger, context.Group.Name, exception);
        }
    }

    private enum CacheLookup
    {
        Miss,
        Hit,
        Unavailable,
    }
}
