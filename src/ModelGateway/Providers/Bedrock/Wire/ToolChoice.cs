namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The <c>toolChoice</c> union: <c>auto</c>, <c>any</c> or a specific <c>tool</c>.</summary>
internal sealed class ToolChoice
{
    public EmptyObject? Auto { get; set; }

    public EmptyObject? Any { get; set; }

    public SpecificToolChoice? Tool { get; set; }
}
