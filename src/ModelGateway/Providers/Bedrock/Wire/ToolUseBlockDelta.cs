namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A fragment of a tool call's JSON input, as text; the fragments join into the whole input.</summary>
internal sealed class ToolUseBlockDelta
{
    public string? Input { get; set; }
}
