using System.Globalization;
using ModelGateway;

namespace ChatApi.Spend;

/// <summary>
/// <c>GET /api/spend?by=team&amp;from=2026-11-01T00:00:00Z&amp;to=…</c>: spend per team, feature, user, tag, model, provider or
/// deployment for a period, from <see cref="IModelGateway.GetSpendBreakdown"/> — the chargeback report. <c>from</c> defaults to
/// the start of the current UTC month and <c>to</c> to now. The default spend store counts whole UTC hours.
/// </summary>
/// <remarks>It reports who spent what: put it behind your authorization before exposing it beyond operators.</remarks>
internal static class SpendEndpoint
{
    private static readonly Dictionary<string, SpendDimension> Dimensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["global"] = SpendDimension.Global,
        ["team"] = SpendDimension.Team,
        ["feature"] = SpendDimension.Feature,
        ["user"] = SpendDimension.User,
        ["tag"] = SpendDimension.Tag,
        ["model"] = SpendDimension.Model,
        ["provider"] = SpendDimension.Provider,
        ["deployment"] = SpendDimension.Deployment,
    };

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGet("/api/spend", Handle);

    private static IResult Handle(string? by, string? from, string? to, IModelGateway gateway, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        string name = string.IsNullOrEmpty(by) ? "team" : by;
        if (!Dimensions.TryGetValue(name, out SpendDimension dimension))
        {
            errors["by"] = [$"'by' must be one of: {string.Join(", ", Dimensions.Keys)}."];
        }

        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset start = ParseTime(from, "from", new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), errors);
        DateTimeOffset end = ParseTime(to, "to", now, errors);
        if (errors.Count == 0 && end < start)
        {
            errors["to"] = ["'to' must not be before 'from'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is invalid.");
        }

        SpendSummary total = gateway.GetSpend(SpendDimension.Global, key: null, start, end);
        var breakdown = new List<SpendFigures>();
        if (dimension != SpendDimension.Global)
        {
            foreach ((string key, SpendSummary summary) in gateway.GetSpendBreakdown(dimension, start, end))
            {
                breakdown.Add(SpendFigures.From(key, summary));
            }

            breakdown.Sort(static (x, y) => y.CostUsd != x.CostUsd ? y.CostUsd.CompareTo(x.CostUsd) : string.CompareOrdinal(x.Key, y.Key));
        }

        return TypedResults.Ok(new SpendReport
        {
            By = name.ToLowerInvariant(),
            From = start,
            To = end,
            Total = SpendFigures.From(null, total),
            Breakdown = breakdown,
        });
    }

    private static DateTimeOffset ParseTime(string? value, string name, DateTimeOffset fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
        {
            return parsed;
        }

        errors[name] = [$"'{name}' must be an ISO 8601 date or time, such as 2026-11-01 or 2026-11-01T00:00:00Z."];
        return fallback;
    }
}
