namespace ModelGateway;

/// <summary>A model's price in US dollars per million tokens.</summary>
public sealed class ModelPrice
{
    /// <summary>Gets or sets the price of a million input tokens.</summary>
    public decimal? InputPerMillion { get; set; }

    /// <summary>Gets or sets the price of a million output tokens.</summary>
    public decimal? OutputPerMillion { get; set; }

    /// <summary>Gets or sets the price of a million input tokens read from the provider's prompt cache.</summary>
    public decimal? CachedInputPerMillion { get; set; }

    /// <summary>Gets or sets the price of a million input tokens written to the provider's prompt cache.</summary>
    public decimal? CacheWritePerMillion { get; set; }
}
