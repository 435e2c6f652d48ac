using Microsoft.Extensions.Logging;
using ModelGateway.Cost;
using ModelGateway.Tests.Telemetry;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Cost;

public class SpendStoreCompactionTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // a Monday

    [Fact]
    public void Folding_OldHoursIntoDays_KeepsDayWeekAndMonthTotalsExact()
    {
        var time = new ManualTimeProvider(Midnight);
        var store = new InMemorySpendStore(time);
        for (int hour = 0; hour < 72; hour++)
        {
            store.Record(Record(time.GetUtcNow(), "u", 0.001m * (hour + 1)));
            time.Advance(TimeSpan.FromHours(1));
        }

        SpendSummary[] daysBefore = [Day(store, 0), Day(store, 1), Day(store, 2)];
        SpendSummary weekBefore = store.GetSpend(SpendDimension.User, "u", Midnight, Midnight.AddDays(7));
        SpendSummary monthBefore = store.GetSpend(SpendDimension.User, "u", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        long bucketsBefore = store.BucketCount;

        time.Advance(TimeSpan.FromDays(5));
        store.Record(Record(time.GetUtcNow(), "someone-else", 0m)); // the first call of the hour runs the hourly pass

        Assert.Equal(daysBefore, new[] { Day(store, 0), Day(store, 1), Day(store, 2) });
        Assert.Equal(weekBefore, store.GetSpend(SpendDimension.User, "u", Midnight, Midnight.AddDays(7)));
        Assert.Equal(monthBefore, store.GetSpend(SpendDimension.User, "u", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0.001m * (72 * 73 / 2), weekBefore.CostUsd);
        Assert.Equal(72, weekBefore.Requests);
        Assert.True(store.BucketCount < bucketsBefore / 10, $"{store.BucketCount} buckets after folding, {bucketsBefore} before");
        Assert.Equal(store.CountBuckets(), store.BucketCount);
    }

    [Fact]
    public void FoldedDay_CountsWhole_ForAPeriodThatTouchesIt()
    {
        var time = new ManualTimeProvider(Midnight);
        var store = new InMemorySpendStore(time);
        store.Record(Record(Midnight.AddHours(3), "u", 1m));
        store.Record(Record(Midnight.AddHours(20), "u", 2m));
        Assert.Equal(1m, store.GetSpend(SpendDimension.User, "u", Midnight.AddHours(3), Midnight.AddHours(4)).CostUsd); // hourly while recent

        time.Advance(TimeSpan.FromDays(4));
        store.Record(Record(time.GetUtcNow(), "someone-else", 0m));

        Assert.Equal(3m, store.GetSpend(SpendDimension.User, "u", Midnight.AddHours(3), Midnight.AddHours(4)).CostUsd);
        Assert.Equal(3m, store.GetSpend(SpendDimension.User, "u", Midnight.AddHours(23), Midnight.AddDays(2)).CostUsd);
        Assert.Equal(0m, store.GetSpend(SpendDimension.User, "u", Midnight.AddDays(1), Midnight.AddDays(2)).CostUsd);
        Assert.Equal(0m, store.GetSpend(SpendDimension.User, "u", Midnight.AddDays(-1), Midnight).CostUsd);
    }

    [Fact]
    public void HourlyQueries_StayExact_WithinTheRecentWindow()
    {
        var time = new ManualTimeProvider(Midnight);
        var store = new InMemorySpendStore(time);
        for (int hour = 0; hour < 24 * 6; hour++)
        {
            store.Record(Record(time.GetUtcNow(), "u", hour));
            time.Advance(TimeSpan.FromHours(1));
        }

        // Now is 00:00 on day 6: the hours of days 4 and 5 (the last 48) are still hourly.
        DateTimeOffset now = time.GetUtcNow();
        for (int back = 1; back <= 48; back++)
        {
            DateTimeOffset hour = now.AddHours(-back);
            Assert.Equal(24 * 6 - back, store.GetSpend(SpendDimension.User, "u", hour, hour.AddHours(1)).CostUsd);
        }

        Assert.Equal(Enumerable.Range(0, 24).Sum(h => (decimal)((24 * 2) + h)), Day(store, 2).CostUsd); // a folded day
    }

    [Fact]
    public void LateRecord_ForAFoldedDay_JoinsThatDay()
    {
        var time = new ManualTimeProvider(Midnight);
        var store = new InMemorySpendStore(time);
        store.Record(Record(Midnight.AddHours(5), "u", 1m));
        time.Advance(TimeSpan.FromDays(4));
        store.Record(Record(time.GetUtcNow(), "u", 10m));

        store.Record(Record(Midnight.AddHours(7), "u", 2m)); // a call that ended days ago, recorded now

        Assert.Equal(3m, Day(store, 0).CostUsd);
        Assert.Equal(13m, store.GetSpend(SpendDimension.User, "u", Midnight, time.GetUtcNow().AddHours(1)).CostUsd);
        Assert.Equal(store.CountBuckets(), store.BucketCount);
    }

    [Fact]
    public void OldSpend_ExpiresAfterTheRetention_FoldedDaysIncluded()
    {
        var time = new ManualTimeProvider(Midnight);
        var store = new InMemorySpendStore(time);
        for (int day = 0; day < 10; day++)
        {
            store.Record(Record(time.GetUtcNow(), $"user-{day}", 1m));
            time.Advance(TimeSpan.FromDays(1));
        }

        time.Advance(TimeSpan.FromDays(60)); // day 70: days 0..7 are past the 62 days
        store.Record(Record(time.GetUtcNow(), "late", 1m));

        Assert.Equal(0m, store.GetSpend(SpendDimension.User, "user-0", DateTimeOffset.MinValue, DateTimeOffset.MaxValue).CostUsd);
        Assert.Equal(0m, store.GetSpend(SpendDimension.User, "user-7", DateTimeOffset.MinValue, DateTimeOffset.MaxValue).CostUsd);
        Assert.Equal(1m, store.GetSpend(SpendDimension.User, "user-8", DateTimeOffset.MinValue, DateTimeOffset.MaxValue).CostUsd);
        Assert.Equal(3m, store.GetSpend(SpendDimension.Global, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue).CostUsd);
        Assert.Equal(store.CountBuckets(), store.BucketCount);
    }

    [Fact]
    public void ManyKeys_OverManyHours_StayUnderTheCap_DroppingTheOldestHistory_WithAWarning()
    {
        const long Cap = 5_000;
        var time = new ManualTimeProvider(Midnight);
        using var logs = new TestLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var store = new InMemorySpendStore(time, CostDefaults.SpendRetention, Cap, loggerFactory);
        long peak = 0;
        for (int hour = 0; hour < 24 * 10; hour++)
        {
            for (int i = 0; i < 300; i++)
            {
                store.Record(Record(time.GetUtcNow(), $"user-{((hour * 300) + i) % 3_000}", 1m)); // 3,000 users, 300 an hour
                peak = Math.Max(peak, store.BucketCount);
            }

            time.Advance(TimeSpan.FromHours(1));
        }

        DateTimeOffset lastHour = time.GetUtcNow().AddHours(-1);
        Assert.InRange(peak, 1, Cap + 10); // a new bucket may go over by the records in flight, then the oldest go
        Assert.Equal(store.CountBuckets(), store.BucketCount);
        Assert.True(store.EvictedBuckets > 0);
        Assert.Equal(0, store.RefusedRecords);
        Assert.Equal(300m, store.GetSpend(SpendDimension.Global, null, lastHour, lastHour.AddHours(1)).CostUsd); // recent spend intact
        Assert.Contains(logs.Records, r => r.Category == "ModelGateway.Cost" && r.Level == LogLevel.Warning && r.Message.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void CapFilledByTheCurrentHour_StillCountsGlobally_RefusesNewKeysWithAWarning_ThenRecovers()
    {
        var time = new ManualTimeProvider(Midnight);
        using var logs = new TestLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var store = new InMemorySpendStore(time, CostDefaults.SpendRetention, maxBuckets: 50, loggerFactory);
        for (int i = 0; i < 100; i++)
        {
            store.Record(Record(time.GetUtcNow(), $"user-{i}", 1m));
        }

        Assert.Equal(100m, store.GetSpend(SpendDimension.Global, null, Midnight, Midnight.AddHours(1)).CostUsd);
        Assert.Equal(100m, store.GetSpend(SpendDimension.Team, "t", Midnight, Midnight.AddHours(1)).CostUsd); // keys that had a bucket
        Assert.Equal(0m, store.GetSpend(SpendDimension.User, "user-99", Midnight, Midnight.AddHours(1)).CostUsd);
        Assert.True(store.RefusedRecords > 0);
        Assert.InRange(store.BucketCount, 1, 51);
        Assert.Single(logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains("current hour alone", StringComparison.Ordinal));

        time.Advance(TimeSpan.FromHours(1));
        store.Record(Record(time.GetUtcNow(), "newcomer", 1m));

        Assert.Equal(1m, store.GetSpend(SpendDimension.User, "newcomer", time.GetUtcNow(), time.GetUtcNow().AddHours(1)).CostUsd);
    }

    [Fact]
    public async Task ConcurrentRecords_AcrossHourlyPasses_LoseNothing()
    {
        var time = new ManualTimeProvider(Midnight);
        var store = new InMemorySpendStore(time);

        // Four recorders; the first also moves the clock 4 hours every 500 calls (about 6 simulated days in all), so
        // hourly passes fold and release while the others record.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                store.Record(Record(time.GetUtcNow(), $"user-{i % 50}", 0.001m));
                if (t == 0 && i % 500 == 499)
                {
                    time.Advance(TimeSpan.FromHours(4));
                }
            }
        })));
        time.Advance(TimeSpan.FromHours(1));
        store.Record(Record(time.GetUtcNow(), "last", 0m));

        Assert.Equal(80_000 * 0.001m, store.GetSpend(SpendDimension.Global, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue).CostUsd);
        Assert.Equal(1_600 * 0.001m, store.GetSpend(SpendDimension.User, "user-7", DateTimeOffset.MinValue, DateTimeOffset.MaxValue).CostUsd);
        Assert.Equal(store.CountBuckets(), store.BucketCount);
    }

    private static SpendSummary Day(InMemorySpendStore store, int day) =>
        store.GetSpend(SpendDimension.User, "u", Midnight.AddDays(day), Midnight.AddDays(day + 1));

    private static SpendRecord Record(DateTimeOffset at, string user, decimal cost) => new()
    {
        Timestamp = at,
        CostUsd = cost,
        InputTokens = 1,
        OutputTokens = 1,
        Answered = true,
        User = user,
        Team = "t",
        Feature = "f",
        Model = "chat",
        Provider = "p",
        Deployment = "p/m",
    };
}
