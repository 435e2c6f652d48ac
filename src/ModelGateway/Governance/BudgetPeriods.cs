namespace ModelGateway.Governance;

/// <summary>Where budget periods start and end, in UTC: days at midnight, ISO weeks on Monday, months on the first.</summary>
internal static class BudgetPeriods
{
    public static DateTimeOffset Start(BudgetPeriod period, DateTimeOffset now)
    {
        DateTime utc = now.UtcDateTime;
        return period switch
        {
            BudgetPeriod.Daily => new DateTimeOffset(utc.Date, TimeSpan.Zero),
            BudgetPeriod.Weekly => new DateTimeOffset(utc.Date.AddDays(-(((int)utc.DayOfWeek + 6) % 7)), TimeSpan.Zero),
            BudgetPeriod.Monthly => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.MinValue,
        };
    }

    /// <summary>The end of the period that starts at <paramref name="start"/>, or <see langword="null"/> for <see cref="BudgetPeriod.Total"/>.</summary>
    public static DateTimeOffset? End(BudgetPeriod period, DateTimeOffset start) => period switch
    {
        BudgetPeriod.Daily => start.AddDays(1),
        BudgetPeriod.Weekly => start.AddDays(7),
        BudgetPeriod.Monthly => start.AddMonths(1),
        _ => null,
    };
}
