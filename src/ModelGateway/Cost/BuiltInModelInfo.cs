namespace ModelGateway.Cost;

/// <summary>A model in the built-in table: its price and limits, and where and when the price was read.</summary>
internal sealed class BuiltInModelInfo
{
    public BuiltInModelInfo(ModelPrice price, int? contextWindow, int? maxOutputTokens, string? source, string? checkedOn)
    {
        Price = price;
        ContextWindow = contextWindow;
        MaxOutputTokens = maxOutputTokens;
        Source = source;
        CheckedOn = checkedOn;
    }

    public ModelPrice Price { get; }

    /// <summary>Gets the model's context window in tokens (input and output together), when known.</summary>
    public int? ContextWindow { get; }

    public int? MaxOutputTokens { get; }

    public string? Source { get; }

    public string? CheckedOn { get; }
}
