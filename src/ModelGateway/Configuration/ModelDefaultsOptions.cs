namespace ModelGateway;

/// <summary>Option values an alias applies when the request does not set them. The caller's <c>ChatOptions</c> is never changed.</summary>
public sealed class ModelDefaultsOptions
{
    /// <summary>Gets or sets the sampling temperature.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the nucleus sampling probability.</summary>
    public float? TopP { get; set; }

    /// <summary>Gets or sets the largest number of tokens to generate.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets the system prompt, used as <c>ChatOptions.Instructions</c> when the request sets none.</summary>
    public string? SystemPrompt { get; set; }
}
