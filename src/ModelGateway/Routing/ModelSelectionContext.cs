using Microsoft.Extensions.AI;
using ModelGateway.Routing;

namespace ModelGateway;

/// <summary>What an <see cref="IModelSelector"/> knows about the request it routes.</summary>
/// <remarks>
/// An instance describes one request and is valid only during <see cref="IModelSelector.SelectModel"/>; do not keep it.
/// The messages and options belong to the request: read them, never change them.
/// </remarks>
public sealed class ModelSelectionContext
{
    private readonly IEnumerable<ChatMessage> _messages;
    private int _estimatedInputTokens = -1;

    internal ModelSelectionContext(string model, IEnumerable<ChatMessage> messages, ChatOptions options, string? user, string? team, string? feature, string[]? tags)
    {
        Model = model;
        _messages = messages;
        Options = options;
        User = user;
        Team = team;
        Feature = feature;
        Tags = tags ?? [];
    }

    /// <summary>Gets the alias chosen so far: the one requested, after the configured <c>Routes</c>.</summary>
    public string Model { get; }

    /// <summary>Gets the request's messages.</summary>
    public IEnumerable<ChatMessage> Messages => _messages;

    /// <summary>Gets the request's options (the gateway's copy; gateway metadata already moved out of it).</summary>
    public ChatOptions Options { get; }

    /// <summary>Gets the user the request is made for (<c>WithUser</c>), if any.</summary>
    public string? User { get; }

    /// <summary>Gets the team the request is charged to (<c>WithTeam</c>), if any.</summary>
    public string? Team { get; }

    /// <summary>Gets the feature the request belongs to (<c>WithFeature</c>), if any.</summary>
    public string? Feature { get; }

    /// <summary>Gets the request's tags (<c>WithTags</c>); empty when none.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Gets the prompt's estimated size in tokens, computed on first use: about four characters of text per token
    /// plus a few per message. Good to about ±25% for English prose; code and non-Latin scripts may be under-counted up to 2×.</summary>
    public int EstimatedInputTokens
    {
        get
        {
            if (_estimatedInputTokens < 0)
            {
                _estimatedInputTokens = TokenEstimator.Estimate(_messages, Options);
            }

            return _estimatedInputTokens;
        }
    }
}
