using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace ModelGateway.Testing;

/// <summary>
/// A scriptable <see cref="IChatClient"/> for tests: queue responses, streamed chunks and failures of any
/// <see cref="ProviderErrorKind"/>; simulate latency on a <see cref="TimeProvider"/>; report usage; and assert on every
/// request it received. Each call takes the next scripted step; with none left it uses <see cref="DefaultResponse"/>
/// (by default, it echoes the last user message).
/// </summary>
/// <remarks>Thread-safe: concurrent calls take distinct steps in order, and <see cref="Requests"/> records every call.</remarks>
public sealed class FakeChatClient : IChatClient
{
    private readonly object _gate = new();
    private readonly Queue<Func<FakeChatRequest, FakeStep>> _script = new();
    private readonly List<FakeChatRequest> _requests = [];
    private readonly TimeProvider _timeProvider;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="FakeChatClient"/> class.</summary>
    /// <param name="timeProvider">The clock for <see cref="Latency"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="providerName">The provider name used in the failures it throws.</param>
    public FakeChatClient(TimeProvider? timeProvider = null, string providerName = "fake")
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        ProviderName = providerName;
        _metadata = new ChatClientMetadata("fake", providerUri: null, defaultModelId: null);
    }

    /// <summary>Gets the provider name used in the failures it throws.</summary>
    public string ProviderName { get; }

    /// <summary>Gets or sets how long each call waits, on the client's <see cref="TimeProvider"/>, before answering or failing.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets or sets the usage reported on responses that carry none of their own.</summary>
    public UsageDetails? Usage { get; set; }

    /// <summary>Gets or sets the answer when no scripted step is left. The default echoes the last user message.</summary>
    public Func<FakeChatRequest, ChatResponse> DefaultResponse { get; set; } =
        static request => new ChatResponse(new ChatMessage(ChatRole.Assistant, request.LastUserText)) { FinishReason = ChatFinishReason.Stop };

    /// <summary>Gets a snapshot of every request received, in order.</summary>
    public IReadOnlyList<FakeChatRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the number of scripted steps not yet used.</summary>
    public int PendingSteps
    {
        get
        {
            lock (_gate)
            {
                return _script.Count;
            }
        }
    }

    /// <summary>Queues an answer with this text. A streaming call receives it word by word.</summary>
    /// <param name="text">The answer.</param>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient Respond(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Enqueue(_ => FakeStep.Answer(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop }));
    }

    /// <summary>Queues this response. A streaming call receives it as updates.</summary>
    /// <param name="response">The response.</param>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient Respond(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Enqueue(_ => FakeStep.Answer(response));
    }

    /// <summary>Queues an answer computed from the request.</summary>
    /// <param name="responder">Builds the response from the request.</param>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient Respond(Func<FakeChatRequest, ChatResponse> responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        return Enqueue(request => FakeStep.Answer(responder(request)));
    }

    /// <summary>Queues a streamed answer of exactly these chunks. A non-streaming call receives them joined.</summary>
    /// <param name="chunks">The text of each chunk.</param>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient RespondStreaming(params string[] chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        string[] copy = (string[])chunks.Clone();
        return Enqueue(_ => FakeStep.Stream(copy, failure: null));
    }

    /// <summary>Queues a failure classified as <paramref name="kind"/>, as a provider would throw it.</summary>
    /// <param name="kind">How the failure is classified.</param>
    /// <param name="statusCode">The HTTP status; by default the usual one for <paramref name="kind"/>.</param>
    /// <param name="retryAfter">The Retry-After the provider asks for, if any.</param>
    /// <param name="message">The message; a default one names the kind.</param>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient Fail(ProviderErrorKind kind, int? statusCode = null, TimeSpan? retryAfter = null, string? message = null)
    {
        return Enqueue(request => FakeStep.Throw(CreateFailure(kind, statusCode, retryAfter, message, request)));
    }

    /// <summary>Queues a failure that throws <paramref name="exception"/> as it is.</summary>
    /// <param name="exception">The exception to throw.</param>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Enqueue(_ => FakeStep.Throw(exception));
    }

    /// <summary>Queues a stream that yields <paramref name="chunksBeforeFailure"/> and then fails as <paramref name="kind"/>.</summary>
    /// <param name="kind">How the failure is classified.</param>
    /// <param name="chunksBeforeFailure">The chunks that reach the caller first.</param>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient FailMidStream(ProviderErrorKind kind, params string[] chunksBeforeFailure)
    {
        ArgumentNullException.ThrowIfNull(chunksBeforeFailure);
        string[] copy = (string[])chunksBeforeFailure.Clone();
        return Enqueue(request => FakeStep.Stream(copy, CreateFailure(kind, null, null, null, request)));
    }

    /// <summary>Queues a step that never answers until the caller cancels (a hung provider).</summary>
    /// <returns>This client, for chaining.</returns>
    public FakeChatClient Hang() => Enqueue(static _ => FakeStep.Hang());

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        FakeStep step = await BeginAsync(messages, options, streaming: false, cancellationToken).ConfigureAwait(false);
        if (step.Chunks is { } chunks)
        {
            if (step.Failure is not null)
            {
                throw step.Failure;
            }

            return WithUsage(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(chunks))) { FinishReason = ChatFinishReason.Stop, ModelId = options?.ModelId });
        }

        ChatResponse response = step.Response!;
        response.ModelId ??= options?.ModelId;
        return WithUsage(response);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        FakeStep step = await BeginAsync(messages, options, streaming: true, cancellationToken).ConfigureAwait(false);
        string responseId = Guid.NewGuid().ToString("N");
        if (step.Chunks is { } chunks)
        {
            foreach (string chunk in chunks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { ResponseId = responseId, ModelId = options?.ModelId };
            }

            if (step.Failure is not null)
            {
                throw step.Failure;
            }

            yield return FinalUpdate(responseId, options?.ModelId, ChatFinishReason.Stop, Usage);
            yield break;
        }

        ChatResponse response = step.Response!;
        foreach (ChatMessage message in response.Messages)
        {
            foreach (string word in SplitWords(message.Text))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(message.Role, word) { ResponseId = responseId, ModelId = response.ModelId ?? options?.ModelId };
            }

            foreach (AIContent content in message.Contents)
            {
                if (content is not TextContent)
                {
                    yield return new ChatResponseUpdate(message.Role, [content]) { ResponseId = responseId, ModelId = response.ModelId ?? options?.ModelId };
                }
            }
        }

        yield return FinalUpdate(responseId, response.ModelId ?? options?.ModelId, response.FinishReason ?? ChatFinishReason.Stop, response.Usage ?? Usage);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private FakeChatClient Enqueue(Func<FakeChatRequest, FakeStep> step)
    {
        lock (_gate)
        {
            _script.Enqueue(step);
        }

        return this;
    }

    private async Task<FakeStep> BeginAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = new FakeChatRequest([.. messages], options?.Clone(), streaming, _timeProvider.GetUtcNow(), cancellationToken);
        Func<FakeChatRequest, FakeStep>? next;
        lock (_gate)
        {
            _requests.Add(request);
            _script.TryDequeue(out next);
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        FakeStep step = next is null ? FakeStep.Answer(DefaultResponse(request)) : next(request);
        if (step.IsHang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (step.Chunks is null && step.Failure is not null)
        {
            throw step.Failure;
        }

        return step;
    }

    private ChatResponse WithUsage(ChatResponse response)
    {
        response.Usage ??= Usage;
        return response;
    }

    private static ChatResponseUpdate FinalUpdate(string responseId, string? modelId, ChatFinishReason finishReason, UsageDetails? usage) => new()
    {
        Role = ChatRole.Assistant,
        ResponseId = responseId,
        ModelId = modelId,
        FinishReason = finishReason,
        Contents = usage is null ? [] : [new UsageContent(usage)],
    };

    private ProviderException CreateFailure(ProviderErrorKind kind, int? statusCode, TimeSpan? retryAfter, string? message, FakeChatRequest request) =>
        new(kind, message ?? $"Fake provider '{ProviderName}' failed as scripted: {kind}.")
        {
            Provider = ProviderName,
            ProviderModel = request.Options?.ModelId,
            StatusCode = statusCode ?? DefaultStatus(kind),
            RetryAfter = retryAfter,
        };

    private static int? DefaultStatus(ProviderErrorKind kind) => kind switch
    {
        ProviderErrorKind.RateLimited => 429,
        ProviderErrorKind.Timeout => 408,
        ProviderErrorKind.Unavailable => 503,
        ProviderErrorKind.Authentication => 401,
        ProviderErrorKind.NotFound => 404,
        ProviderErrorKind.BadRequest or ProviderErrorKind.ContextWindowExceeded or ProviderErrorKind.ContentFiltered => 400,
        ProviderErrorKind.InvalidResponse => 200,
        _ => null,
    };

    private static IEnumerable<string> SplitWords(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int space = text.IndexOf(' ', start + 1);
            int end = space < 0 ? text.Length : space;
            yield return text[start..end];
            start = end;
        }
    }
}
