using Microsoft.Extensions.AI;

namespace ModelGateway.Cost;

/// <summary>
/// Prices one call's usage, normalised as <c>docs/providers.md</c> ("Usage normalisation") describes: input counts every
/// prompt token (cache reads and writes included), output counts every generated token (reasoning included).
/// </summary>
internal static class CostCalculator
{
    private const decimal Million = 1_000_000m;

    /// <summary>
    /// Returns the cost in US dollars, or <see langword="null"/> when a token kind the usage reports has no price.
    /// Cache reads are priced at <see cref="ModelPrice.CachedInputPerMillion"/> and cache writes at
    /// <see cref="ModelPrice.CacheWritePerMillion"/>; where either is not set, those tokens cost the input price.
    /// </summary>
    public static decimal? Compute(UsageDetails usage, ModelPrice price)
    {
        long input = Math.Max(usage.InputTokenCount ?? 0, 0);
        long output = Math.Max(usage.OutputTokenCount ?? 0, 0);
        long cached = Math.Clamp(usage.CachedInputTokenCount ?? 0, 0, input);
        long cacheWrite = 0;
        if (usage.AdditionalCounts is { } counts && counts.TryGetValue(CostDefaults.CacheCreationInputTokensKey, out long written))
        {
            cacheWrite = Math.Clamp(written, 0, input - cached);
        }

        long uncached = input - cached - cacheWrite;
        decimal total = 0;
        if (input > 0)
        {
            if (price.InputPerMillion is not { } inputPrice)
            {
                return null;
            }

            // Decimal arithmetic is not free (every call prices its attempt): terms that are zero are skipped.
            total += uncached * inputPrice;
            if (cached > 0)
            {
                total += cached * (price.CachedInputPerMillion ?? inputPrice);
            }

            if (cacheWrite > 0)
            {
                total += cacheWrite * (price.CacheWritePerMillion ?? inputPrice);
            }
        }

        if (output > 0)
        {
            if (price.OutputPerMillion is not { } outputPrice)
            {
                return null;
            }

            total += output * outputPrice;
        }

        return total / Million;
    }

    /// <summary>Whether the usage reports any token count at all.</summary>
    public static bool HasTokens(UsageDetails? usage) =>
        usage is not null && (usage.InputTokenCount is > 0 || usage.OutputTokenCount is > 0);
}
