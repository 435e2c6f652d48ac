using System.Text.Json;

namespace ModelGateway.Cost;

/// <summary>
/// The price table that ships with the gateway (the embedded <c>model-prices.json</c>), read once. Lookups are by
/// provider type and model id; a model id is also tried without a <c>models/</c>-style path, an <c>@version</c> and a
/// trailing date (<c>-2025-04-14</c>, <c>-20250929</c>), so dated snapshots find their model. Immutable and thread-safe.
/// </summary>
internal sealed class BuiltInPriceTable
{
    private readonly Dictionary<string, Dictionary<string, BuiltInModelInfo>> _providers;

    public BuiltInPriceTable()
        : this(Load())
    {
    }

    internal BuiltInPriceTable(PriceTableDocument document)
    {
        Updated = document.Updated;
        _providers = new Dictionary<string, Dictionary<string, BuiltInModelInfo>>(StringComparer.OrdinalIgnoreCase);
        foreach ((string type, PriceTableProvider provider) in document.Providers)
        {
            var models = new Dictionary<string, BuiltInModelInfo>(StringComparer.OrdinalIgnoreCase);
            foreach ((string model, PriceTableModel entry) in provider.Models)
            {
                var price = new ModelPrice
                {
                    InputPerMillion = entry.Input,
                    CachedInputPerMillion = entry.CachedInput,
                    CacheWritePerMillion = entry.CacheWrite,
                    OutputPerMillion = entry.Output,
                };
                models[model] = new BuiltInModelInfo(price, entry.ContextWindow, entry.MaxOutputTokens, provider.Source, provider.Checked);
            }

            _providers[type] = models;
        }
    }

    /// <summary>Gets the date the table was last revised.</summary>
    public string? Updated { get; }

    /// <summary>Gets the provider types the table has prices for.</summary>
    public IEnumerable<string> ProviderTypes => _providers.Keys;

    public bool TryGet(string providerType, string model, out BuiltInModelInfo info)
    {
        info = null!;
        if (!_providers.TryGetValue(providerType, out Dictionary<string, BuiltInModelInfo>? models))
        {
            return false;
        }

        if (models.TryGetValue(model, out info!))
        {
            return true;
        }

        string name = model;
        int slash = name.LastIndexOf('/');
        if (slash >= 0 && slash < name.Length - 1)
        {
            name = name[(slash + 1)..];
        }

        int at = name.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            name = name[..at];
        }

        if (!ReferenceEquals(name, model) && models.TryGetValue(name, out info!))
        {
            return true;
        }

        string undated = WithoutDate(name);
        return !ReferenceEquals(undated, name) && models.TryGetValue(undated, out info!);
    }

    /// <summary>Removes a trailing <c>-YYYY-MM-DD</c> or <c>-YYYYMMDD</c> snapshot date.</summary>
    internal static string WithoutDate(string model)
    {
        ReadOnlySpan<char> span = model;
        if (span.Length > 11 && span[^11] == '-' && span[^6] == '-' && span[^3] == '-'
            && Digits(span[^10..^6]) && Digits(span[^5..^3]) && Digits(span[^2..]))
        {
            return model[..^11];
        }

        if (span.Length > 9 && span[^9] == '-' && Digits(span[^8..]))
        {
            return model[..^9];
        }

        return model;

        static bool Digits(ReadOnlySpan<char> s)
        {
            foreach (char c in s)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static PriceTableDocument Load()
    {
        using Stream stream = typeof(BuiltInPriceTable).Assembly.GetManifestResourceStream(CostDefaults.PriceTableResource)
            ?? throw new InvalidOperationException($"The built-in price table '{CostDefaults.PriceTableResource}' is missing from the assembly.");
        return JsonSerializer.Deserialize(stream, PriceTableJsonContext.Default.PriceTableDocument)
            ?? throw new InvalidOperationException($"The built-in price table '{CostDefaults.PriceTableResource}' is empty.");
    }
}
