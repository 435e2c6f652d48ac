namespace ModelGateway.Cost;

/// <summary>The defaults of cost tracking, budgets and rate limits, in one place.</summary>
internal static class CostDefaults
{
    /// <summary>How long the in-memory spend store keeps spend: two months, so last month's chargeback report is whole.</summary>
    public static readonly TimeSpan SpendRetention = TimeSpan.FromDays(62);

    /// <summary>How long the in-memory spend store keeps hourly resolution: hours of UTC days that ended longer ago than
    /// this are folded into one bucket per day (so the last two to three days are hourly).</summary>
    public static readonly TimeSpan SpendHourlyWindow = TimeSpan.FromHours(48);

    /// <summary>The most buckets (one key's spend in one hour or one folded day, 64 bytes each) the in-memory spend store
    /// holds; past it the oldest history is dropped with a warning. About 64–130 MB of buckets plus ~200 bytes per key at most.</summary>
    public const long MaxSpendBuckets = 1_000_000;

    /// <summary>The output tokens a budget reserves for a request that sets no <c>MaxOutputTokens</c> (nor does its alias).</summary>
    public const int EstimatedOutputTokens = 1024;

    /// <summary>How often idle budget counters and full rate-limit buckets are looked for and released.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a budget counter with nothing in flight is kept before it is released (and re-read from the store when needed).</summary>
    public static readonly TimeSpan BudgetCounterIdleTime = TimeSpan.FromMinutes(10);

    /// <summary>The most price lookups remembered per process (direct <c>provider/model</c> addresses are caller-chosen).</summary>
    public const int MaxCachedPrices = 4096;

    /// <summary>The name of the embedded built-in price table.</summary>
    public const string PriceTableResource = "ModelGateway.Cost.model-prices.json";

    /// <summary>The <see cref="Microsoft.Extensions.AI.UsageDetails.AdditionalCounts"/> key for input tokens written to a prompt cache.</summary>
    public const string CacheCreationInputTokensKey = "CacheCreationInputTokenCount";
}
