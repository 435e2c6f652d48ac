using Microsoft.Extensions.AI;

namespace ModelGateway.Gateway;

/// <summary>
/// The request's own copy of the caller's <see cref="ChatOptions"/> that the entry hands down the pipeline, carrying the
/// <see cref="GatewayRequestContext"/> beside the options rather than in <see cref="ChatOptions.AdditionalProperties"/>:
/// no dictionary to create, copy or search on every call. <see cref="Clone"/> keeps the context, so middleware that
/// copies the options (as <c>ChatOptions.Clone()</c> users do) still hands it on; each attempt's copy for a provider
/// is a plain <see cref="ChatOptions"/> (<see cref="CloneWithoutContext"/>). One request uses an instance from one logical flow at a time.
/// </summary>
internal sealed class GatewayChatOptions : ChatOptions
{
    /// <summary>Initializes a copy of <paramref name="other"/> (collections shallow-copied) that carries <paramref name="context"/>.</summary>
    public GatewayChatOptions(ChatOptions other, GatewayRequestContext? context)
        : base(other)
    {
        Context = context;
    }

    /// <summary>Initializes empty options that carry <paramref name="context"/>.</summary>
    public GatewayChatOptions(GatewayRequestContext? context)
    {
        Context = context;
    }

    /// <summary>Gets or sets the request's state, or <see langword="null"/> in a copy made for a provider.</summary>
    public GatewayRequestContext? Context { get; set; }

    /// <inheritdoc />
    public override ChatOptions Clone() => new GatewayChatOptions(this, Context);

    /// <summary>Copies the options as a plain <see cref="ChatOptions"/> (what a provider receives): without the context.</summary>
    public ChatOptions CloneWithoutContext() => base.Clone();
}
