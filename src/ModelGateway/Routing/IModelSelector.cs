namespace ModelGateway;

/// <summary>
/// Chooses the model alias for a request by rules that need code rather than configuration (a customer's plan looked up
/// in memory, an experiment's bucket, the time of day). Register implementations in dependency injection as
/// <c>services.AddSingleton&lt;IModelSelector, MySelector&gt;()</c>; the gateway asks each, in registration order, after the
/// configured <c>Routes</c> were applied, and the first that returns an alias wins.
/// </summary>
/// <remarks>
/// Called once per request on the caller's thread, before caching, budgets and the router see the request, so it must
/// be fast, thread-safe and must not block. Its choice is final: the chosen alias's own <c>Routes</c> are not applied again,
/// and its deployments, retries and fallbacks serve the request.
/// </remarks>
public interface IModelSelector
{
    /// <summary>Chooses the alias for a request.</summary>
    /// <param name="context">The request: the alias chosen so far, its messages, options and metadata.</param>
    /// <returns>A configured alias (or an allowed <c>provider/model</c> address), or <see langword="null"/> to leave the choice
    /// to the next selector and in the end to <see cref="ModelSelectionContext.Model"/>.</returns>
    /// <exception cref="UnknownModelException">Thrown by the gateway, not the selector, when the returned alias is not configured.</exception>
    string? SelectModel(ModelSelectionContext context);
}
