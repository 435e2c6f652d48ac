using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ModelGateway.Gateway;
using ModelGateway.Routing;

namespace ModelGateway.Governance;

/// <summary>
/// Applies the rate limits: rejects at once with <see cref="RateLimitExceededException"/> (carrying the time until a
/// permit is there) or admits the request, counting its estimated input tokens now and its reported output tokens when
/// it ends, however it ends.
/// </summary>
internal sealed class RateLimitChatClient : DelegatingChatClient
{
    private readonly GatewayRateLimits _limits;

    public RateLimitChatClient(IChatClient inner, GatewayRateLimits limits)
        : base(inner)
    {
        _limits = limits;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (GatewayRequestContext.Get(options) is not { } context)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        RateLimitPermit permit = _limits.Acquire(context, TokenEstimator.Estimate(messages, options));
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            GatewayRateLimits.Complete(permit, context.Spend.OutputTokens);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (GatewayRequestContext.Get(options) is not { } context)
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        RateLimitPermit permit = _limits.Acquire(context, TokenEstimator.Estimate(messages, options));
        try
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            GatewayRateLimits.Complete(permit, context.Spend.OutputTokens);
        }
    }
}
