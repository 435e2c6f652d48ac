namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>The base inference parameters every model accepts.</summary>
internal sealed class InferenceConfiguration
{
    public int? MaxTokens { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public List<string>? StopSequences { get; set; }
}
