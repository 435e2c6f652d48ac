namespace ModelGateway.Cost;

/// <summary>One model's entry in the embedded price table: US dollars per million tokens, and its limits.</summary>
internal sealed class PriceTableModel
{
    public decimal? Input { get; set; }

    public decimal? CachedInput { get; set; }

    /// <summary>Gets or sets the price of writing to the prompt cache (Anthropic: the default 5-minute cache).</summary>
    public decimal? CacheWrite { get; set; }

    public decimal? Output { get; set; }

    public int? ContextWindow { get; set; }

    public int? MaxOutputTokens { get; set; }
}
