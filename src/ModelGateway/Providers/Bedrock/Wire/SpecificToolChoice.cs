namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>Forces the model to call the named tool.</summary>
internal sealed class SpecificToolChoice
{
    public string? Name { get; set; }
}
