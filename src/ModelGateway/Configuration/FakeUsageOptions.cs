namespace ModelGateway;

/// <summary>The token usage a <c>fake</c> provider reports for each answer.</summary>
public sealed class FakeUsageOptions
{
    /// <summary>Gets or sets the input tokens reported; <see langword="null"/> estimates them from the prompt.</summary>
    public long? InputTokens { get; set; }

    /// <summary>Gets or sets the output tokens reported; <see langword="null"/> estimates them from the answer.</summary>
    public long? OutputTokens { get; set; }
}
