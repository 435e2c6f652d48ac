using Microsoft.Extensions.AI;

namespace ModelGateway;

/// <summary>
/// The gateway itself, for code that needs more than an <see cref="IChatClient"/>: clients pinned to an alias, the configured
/// aliases, and the live health of every deployment. Resolve it from dependency injection. Thread-safe.
/// </summary>
public interface IModelGateway
{
    /// <summary>Gets the configured model aliases.</summary>
    IReadOnlyList<string> Models { get; }

    /// <summary>Gets a client pinned to <paramref name="model"/>: every request it makes goes to that alias, whatever
    /// <see cref="ChatOptions.ModelId"/> says.</summary>
    /// <param name="model">A configured alias, or (when allowed) a <c>provider/model</c> address.</param>
    /// <returns>The client; the same instance for the same alias.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownModelException"><paramref name="model"/> is not configured.</exception>
    IChatClient GetChatClient(string model);

    /// <summary>Gets a snapshot of every configured deployment's health, alias by alias.</summary>
    /// <returns>One entry per deployment.</returns>
    IReadOnlyList<DeploymentHealth> GetDeploymentHealth();
}
