using ModelGateway.Gateway;

namespace ModelGateway.Routing;

/// <summary>
/// Watches every attempt the router makes, so that per-attempt concerns (cost tagging, attempt spans, failure logs) live
/// in their own folders and the router knows none of them. Registered in dependency injection as
/// <c>AttemptObserver</c>; called on the request's flow, in registration order. Implementations must be thread-safe and
/// must not throw.
/// </summary>
internal abstract class AttemptObserver
{
    /// <summary>Called just before an attempt calls its provider (after any backoff wait), on the request's async flow, so an
    /// <see cref="System.Diagnostics.Activity"/> started here is the current one during the provider call.</summary>
    /// <returns>State handed back to <see cref="OnAttemptCompleted"/> for this attempt.</returns>
    public virtual object? OnAttemptStarting(GatewayRequestContext context, in AttemptInfo attempt) => null;

    /// <summary>Called once when the attempt ended: succeeded, failed, or was abandoned by the caller.</summary>
    public virtual void OnAttemptCompleted(GatewayRequestContext context, in AttemptInfo attempt, object? state, in AttemptOutcome outcome)
    {
    }

    /// <summary>Called when a failure put the attempt's deployment in cooldown (once per opening, not per skipped request).</summary>
    /// <param name="attempt">The attempt whose failure opened the cooldown.</param>
    /// <param name="duration">How long the deployment is skipped.</param>
    /// <param name="failure">The kind of the failure that opened it.</param>
    public virtual void OnCooldownOpened(in AttemptInfo attempt, TimeSpan duration, ProviderErrorKind failure)
    {
    }
}
