using Microsoft.Extensions.AI;

namespace ModelGateway.Routing;

/// <summary>How an attempt ended. <see cref="Error"/> is set for a failure; neither it nor <see cref="Abandoned"/> for a success.</summary>
internal readonly struct AttemptOutcome
{
    public AttemptOutcome(TimeSpan duration, DateTimeOffset completedAt, UsageDetails? usage, ChatFinishReason? finishReason, string? responseModel, string? responseId, ProviderException? error, bool abandoned, TimeSpan? timeToFirstChunk)
    {
        Duration = duration;
        CompletedAt = completedAt;
        Usage = usage;
        FinishReason = finishReason;
        ResponseModel = responseModel;
        ResponseId = responseId;
        Error = error;
        Abandoned = abandoned;
        TimeToFirstChunk = timeToFirstChunk;
    }

    public TimeSpan Duration { get; }

    /// <summary>Gets when the attempt ended, on the gateway's clock (the router's one read of it, shared with observers).</summary>
    public DateTimeOffset CompletedAt { get; }

    /// <summary>Gets the usage the provider reported (for a stream, the sum of its <see cref="UsageContent"/>), if any.</summary>
    public UsageDetails? Usage { get; }

    public ChatFinishReason? FinishReason { get; }

    public string? ResponseModel { get; }

    public string? ResponseId { get; }

    public ProviderException? Error { get; }

    /// <summary>Gets whether the caller cancelled or stopped enumerating before the attempt ended.</summary>
    public bool Abandoned { get; }

    /// <summary>Gets, for a stream, how long the first chunk took.</summary>
    public TimeSpan? TimeToFirstChunk { get; }

    public bool Succeeded => Error is null && !Abandoned;
}
