using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ModelGateway.Cost;

/// <summary>
/// The default <see cref="ISpendStore"/>: spend per key, per dimension, in memory, in hourly buckets for the recent days
/// and daily buckets for older ones, with a hard cap on the number of buckets.
/// </summary>
/// <remarks>
/// <para>
/// <b>Resolution.</b> A call is recorded in the bucket of the UTC hour it ended in. Once an hour (on the store's own
/// clock, by the first call recorded in a new hour) every key's hourly buckets of UTC days that ended more than
/// <see cref="CostDefaults.SpendHourlyWindow"/> ago are folded into one bucket per UTC day, and buckets older than the
/// retention are dropped; a key with no bucket left is released. So the last two to three days keep hourly resolution and
/// older spend keeps daily resolution, which is all the budget periods need (<c>Daily</c>, <c>Weekly</c>, <c>Monthly</c>
/// and <c>Total</c> all start at a UTC midnight).
/// </para>
/// <para>
/// <b>Periods.</b> A bucket counts in a period when it overlaps it: an hourly bucket when the period touches its hour, a
/// daily bucket when the period touches any part of its day. Periods whose ends are on UTC midnights (and any period
/// within the hourly window) are therefore exact; a period that starts or ends inside a folded day counts that whole day.
/// </para>
/// <para>
/// <b>Cap.</b> The store holds at most <see cref="CostDefaults.MaxSpendBuckets"/> buckets (every key holds at least one).
/// When a new bucket takes it over the cap, the oldest history of every key is dropped, oldest hours first, until the
/// store is back under nine tenths of the cap; a warning is logged with how much was dropped and from when. The current
/// hour is never dropped: if it alone fills the cap, records that would need a new bucket are still counted in the global
/// total and in the keys that already have a bucket this hour, but not under their new keys, with a warning, until the
/// next hour makes room. <see cref="EvictedBuckets"/> and <see cref="RefusedRecords"/> count both.
/// </para>
/// <para>
/// Thread-safe: one short lock per key for a record or a query; the hourly fold and the eviction run on one recording
/// thread at a time (amortised: each key is visited once an hour) while other calls keep recording. A single process
/// only: spend is lost on restart and not shared between instances.
/// </para>
/// </remarks>
internal sealed partial class InMemorySpendStore : ISpendStore
{
    private const string GlobalKey = "";
    private const int HoursPerDay = 24;

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _retentionHours;
    private readonly long _hourlyWindowHours;
    private readonly long _maxBuckets;
    private readonly ConcurrentDictionary<string, Ledger>[] _dimensions;
    private long _maintainedAtHour;
    private long _dailyBeforeHour;
    private long _bucketCount;
    private long _evictedBuckets;
    private long _refusedRecords;
    private int _maintaining;
    private volatile bool _full;
    private int _refusalLogged;

    public InMemorySpendStore(TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
        : this(timeProvider, CostDefaults.SpendRetention, CostDefaults.MaxSpendBuckets, loggerFactory)
    {
    }

    public InMemorySpendStore(TimeProvider timeProvider, TimeSpan retention, long maxBuckets = CostDefaults.MaxSpendBuckets, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuckets, 1);
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ModelGateway.Cost");
        _retentionHours = Math.Max(1, (long)Math.Ceiling(retention.TotalHours));
        _hourlyWindowHours = (long)CostDefaults.SpendHourlyWindow.TotalHours;
        _maxBuckets = maxBuckets;
        _dimensions = new ConcurrentDictionary<string, Ledger>[(int)SpendDimension.Deployment + 1];
        for (int i = 0; i < _dimensions.Length; i++)
        {
            _dimensions[i] = new ConcurrentDictionary<string, Ledger>(StringComparer.Ordinal);
        }

        long hour = HourOf(timeProvider.GetUtcNow());
        _maintainedAtHour = hour;
        _dailyBeforeHour = DailyBefore(hour);
    }

    /// <summary>Gets the number of keys held, across every dimension (for tests of the memory bound).</summary>
    internal int KeyCount
    {
        get
        {
            int count = 0;
            foreach (ConcurrentDictionary<string, Ledger> keys in _dimensions)
            {
                count += keys.Count;
            }

            return count;
        }
    }

    /// <summary>Gets the number of buckets held, hourly and daily, across every key (what the cap counts).</summary>
    internal long BucketCount => Interlocked.Read(ref _bucketCount);

    /// <summary>Gets the number of buckets dropped to stay under the cap (before their retention ran out).</summary>
    internal long EvictedBuckets => Interlocked.Read(ref _evictedBuckets);

    /// <summary>Gets the number of times a record was not counted under a key because the cap was reached by the current hour alone.</summary>
    internal long RefusedRecords => Interlocked.Read(ref _refusedRecords);

    public void Record(in SpendRecord record)
    {
        // The hourly pass first, so the first call of a new hour finds room made and the fold boundary moved.
        MaintainIfDue();
        long hour = HourOf(record.Timestamp);
        bool daily = hour < Volatile.Read(ref _dailyBeforeHour);
        var entry = new Bucket
        {
            Start = (int)(daily ? DayStart(hour) : hour),
            Hours = daily ? HoursPerDay : 1,
            CostUsd = record.CostUsd ?? 0,
            InputTokens = record.InputTokens,
            CachedInputTokens = record.CachedInputTokens,
            OutputTokens = record.OutputTokens,
            Requests = record.Answered ? 1 : 0,
            UnpricedCalls = record.CostUsd is null && (record.InputTokens > 0 || record.OutputTokens > 0) ? 1 : 0,
        };

        bool allowNew = !_full;
        Add(SpendDimension.Global, GlobalKey, entry, allowNew: true); // one key: never refused
        Add(SpendDimension.User, record.User, entry, allowNew);
        Add(SpendDimension.Team, record.Team, entry, allowNew);
        Add(SpendDimension.Feature, record.Feature, entry, allowNew);
        if (record.Tags is { } tags)
        {
            for (int i = 0; i < tags.Count; i++)
            {
                if (!string.IsNullOrEmpty(tags[i]))
                {
                    Add(SpendDimension.Tag, tags[i], entry, allowNew);
                }
            }
        }

        Add(SpendDimension.Model, record.Model, entry, allowNew);
        Add(SpendDimension.Provider, record.Provider, entry, allowNew);
        Add(SpendDimension.Deployment, record.Deployment, entry, allowNew);
    }

    public SpendSummary GetSpend(SpendDimension dimension, string? key, DateTimeOffset from, DateTimeOffset to)
    {
        Check(dimension, from, to);
        if (dimension == SpendDimension.Global)
        {
            key = GlobalKey;
        }
        else
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
        }

        return _dimensions[(int)dimension].TryGetValue(key, out Ledger? ledger)
            ? ledger.Sum(HourOf(from), ToHourExclusive(to))
            : default;
    }

    public IReadOnlyDictionary<string, SpendSummary> GetBreakdown(SpendDimension dimension, DateTimeOffset from, DateTimeOffset to)
    {
        Check(dimension, from, to);
        long first = HourOf(from);
        long end = ToHourExclusive(to);
        var breakdown = new Dictionary<string, SpendSummary>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, Ledger> pair in _dimensions[(int)dimension])
        {
            SpendSummary sum = pair.Value.Sum(first, end);
            if (sum != default)
            {
                breakdown[pair.Key] = sum;
            }
        }

        return breakdown;
    }

    /// <summary>Counts the buckets by walking every key (tests compare it with <see cref="BucketCount"/>).</summary>
    internal long CountBuckets()
    {
        long count = 0;
        foreach (ConcurrentDictionary<string, Ledger> keys in _dimensions)
        {
            foreach (KeyValuePair<string, Ledger> pair in keys)
            {
                count += pair.Value.Count;
            }
        }

        return count;
    }

    private static void Check(SpendDimension dimension, DateTimeOffset from, DateTimeOffset to)
    {
        if (!Enum.IsDefined(dimension))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a spend dimension.");
        }

        if (to < from)
        {
            throw new ArgumentException($"The period ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }
    }

    /// <summary>Hours since 0001-01-01 UTC (fits an <see cref="int"/> up to year 9999).</summary>
    private static long HourOf(DateTimeOffset instant) => instant.UtcTicks / TimeSpan.TicksPerHour;

    private static long ToHourExclusive(DateTimeOffset instant)
    {
        long hours = Math.DivRem(instant.UtcTicks, TimeSpan.TicksPerHour, out long rest);
        return rest > 0 ? hours + 1 : hours;
    }

    private static long DayStart(long hour) => hour - (hour % HoursPerDay);

    private static DateTimeOffset InstantOf(long hour) => new(hour * TimeSpan.TicksPerHour, TimeSpan.Zero);

    /// <summary>The first hour still kept hourly: the midnight that starts the UTC day <see cref="CostDefaults.SpendHourlyWindow"/> before <paramref name="hour"/>.</summary>
    private long DailyBefore(long hour) => DayStart(Math.Max(0, hour - _hourlyWindowHours));

    private void Add(SpendDimension dimension, string key, in Bucket entry, bool allowNew)
    {
        ConcurrentDictionary<string, Ledger> keys = _dimensions[(int)dimension];
        while (true)
        {
            Ledger? ledger;
            if (allowNew)
            {
                ledger = keys.GetOrAdd(key, static _ => new Ledger());
            }
            else if (!keys.TryGetValue(key, out ledger))
            {
                Refuse(dimension);
                return;
            }

            switch (ledger.TryAdd(entry, allowNew))
            {
                case AddResult.Added:
                    return;
                case AddResult.AddedBucket:
                    Interlocked.Increment(ref _bucketCount);
                    return;
                case AddResult.Refused:
                    Refuse(dimension);
                    return;
                default:
                    // Released by the hourly pass between the lookup and the add: look again, a new ledger takes its place.
                    continue;
            }
        }
    }

    private void Refuse(SpendDimension dimension)
    {
        Interlocked.Increment(ref _refusedRecords);
        if (Interlocked.Exchange(ref _refusalLogged, 1) == 0)
        {
            LogRefusing(_logger, _maxBuckets, dimension);
        }
    }

    private void MaintainIfDue()
    {
        long hour = HourOf(_timeProvider.GetUtcNow());
        bool due = hour > Volatile.Read(ref _maintainedAtHour);
        if ((!due && (_full || Volatile.Read(ref _bucketCount) <= _maxBuckets))
            || Interlocked.CompareExchange(ref _maintaining, 1, 0) != 0)
        {
            return;
        }

        try
        {
            if (hour > Volatile.Read(ref _maintainedAtHour))
            {
                Volatile.Write(ref _maintainedAtHour, hour);
                FoldAndExpire(hour);
                Volatile.Write(ref _refusalLogged, 0);
            }

            if (Volatile.Read(ref _bucketCount) > _maxBuckets)
            {
                Evict(hour);
            }

            _full = Volatile.Read(ref _bucketCount) > _maxBuckets;
        }
        finally
        {
            Volatile.Write(ref _maintaining, 0);
        }
    }

    /// <summary>The hourly pass: folds the hours of days older than the hourly window into days and drops expired buckets.</summary>
    private void FoldAndExpire(long hour)
    {
        // Published first, so a record racing the pass lands in its day's bucket, which the pass then merges with the hours.
        long dailyBefore = DailyBefore(hour);
        Volatile.Write(ref _dailyBeforeHour, dailyBefore);
        long oldest = hour - _retentionHours + 1;
        foreach (ConcurrentDictionary<string, Ledger> keys in _dimensions)
        {
            foreach (KeyValuePair<string, Ledger> pair in keys)
            {
                int removed = pair.Value.Maintain(oldest, dailyBefore, out bool released);
                if (removed > 0)
                {
                    Interlocked.Add(ref _bucketCount, -removed);
                }

                if (released)
                {
                    keys.TryRemove(pair);
                }
            }
        }
    }

    /// <summary>Drops the oldest buckets of every key until the store is under nine tenths of the cap, never the current hour.</summary>
    private void Evict(long hour)
    {
        // How many buckets start at each hour (a few thousand distinct starts at most: hours of the window, days of the retention).
        var byStart = new Dictionary<int, long>();
        foreach (ConcurrentDictionary<string, Ledger> keys in _dimensions)
        {
            foreach (KeyValuePair<string, Ledger> pair in keys)
            {
                pair.Value.CountByStart(byStart);
            }
        }

        int[] starts = new int[byStart.Count];
        byStart.Keys.CopyTo(starts, 0);
        Array.Sort(starts);
        long target = _maxBuckets - (_maxBuckets / 10);
        long remaining = Volatile.Read(ref _bucketCount);
        long cutoff = long.MinValue;
        foreach (int start in starts)
        {
            if (remaining <= target || start >= hour)
            {
                break;
            }

            remaining -= byStart[start];
            cutoff = start + 1L;
        }

        if (cutoff == long.MinValue)
        {
            return;
        }

        long dropped = 0;
        foreach (ConcurrentDictionary<string, Ledger> keys in _dimensions)
        {
            foreach (KeyValuePair<string, Ledger> pair in keys)
            {
                int removed = pair.Value.RemoveBefore(cutoff, out bool released);
                dropped += removed;
                if (released)
                {
                    keys.TryRemove(pair);
                }
            }
        }

        Interlocked.Add(ref _bucketCount, -dropped);
        Interlocked.Add(ref _evictedBuckets, dropped);
        LogEvicted(_logger, _maxBuckets, dropped, InstantOf(cutoff));
    }

    [LoggerMessage(2, LogLevel.Warning, "The in-memory spend store reached its cap of {MaxBuckets} buckets: it dropped {Dropped} buckets of spend recorded before {Before:O} (every key). Register a persistent ISpendStore to keep all of it.")]
    private static partial void LogEvicted(ILogger logger, long maxBuckets, long dropped, DateTimeOffset before);

    [LoggerMessage(3, LogLevel.Warning, "The in-memory spend store's cap of {MaxBuckets} buckets is filled by the current hour alone: calls are counted in the global total but not under new {Dimension} keys until the next hour. Register a persistent ISpendStore for this many keys.")]
    private static partial void LogRefusing(ILogger logger, long maxBuckets, SpendDimension dimension);

    private enum AddResult
    {
        Added,
        AddedBucket,
        Refused,
        Released,
    }

    /// <summary>Spend over <see cref="Hours"/> hours (1, or 24 for a folded day) from hour <see cref="Start"/>: 64 bytes.</summary>
    private struct Bucket
    {
        public int Start;
        public int Hours;
        public decimal CostUsd;
        public long InputTokens;
        public long CachedInputTokens;
        public long OutputTokens;
        public long Requests;
        public long UnpricedCalls;

        public readonly long End => (long)Start + Hours;

        public void Add(in Bucket other)
        {
            CostUsd += other.CostUsd;
            InputTokens += other.InputTokens;
            CachedInputTokens += other.CachedInputTokens;
            OutputTokens += other.OutputTokens;
            Requests += other.Requests;
            UnpricedCalls += other.UnpricedCalls;
        }
    }

    /// <summary>One key's buckets, ordered by start (a folded day sorts before the hours of the same day it has not absorbed yet).</summary>
    private sealed class Ledger
    {
        private readonly List<Bucket> _buckets = new(1);
        private bool _released;

        public int Count
        {
            get
            {
                lock (_buckets)
                {
                    return _buckets.Count;
                }
            }
        }

        public AddResult TryAdd(in Bucket entry, bool allowNew)
        {
            lock (_buckets)
            {
                if (_released)
                {
                    return AddResult.Released;
                }

                Span<Bucket> buckets = CollectionsMarshal.AsSpan(_buckets);
                int i = buckets.Length - 1;

                // Calls arrive in time order but for a race at the turn of an hour, so the right bucket is (nearly) always the last.
                while (i >= 0 && buckets[i].Start > entry.Start)
                {
                    i--;
                }

                // At most two buckets share a start: a day's first hour and the day itself, between a late record and the fold.
                for (int j = i; j >= 0 && buckets[j].Start == entry.Start; j--)
                {
                    if (buckets[j].Hours == entry.Hours)
                    {
                        buckets[j].Add(entry);
                        return AddResult.Added;
                    }
                }

                if (!allowNew)
                {
                    return AddResult.Refused;
                }

                _buckets.Insert(i + 1, entry);
                return AddResult.AddedBucket;
            }
        }

        public SpendSummary Sum(long firstHour, long endHourExclusive)
        {
            var total = default(Bucket);
            lock (_buckets)
            {
                foreach (ref readonly Bucket bucket in CollectionsMarshal.AsSpan(_buckets))
                {
                    if (bucket.Start < endHourExclusive && bucket.End > firstHour)
                    {
                        total.Add(bucket);
                    }
                }
            }

            return new SpendSummary(total.CostUsd, total.InputTokens, total.CachedInputTokens, total.OutputTokens, total.Requests, total.UnpricedCalls);
        }

        /// <summary>Folds hours before <paramref name="dailyBeforeHour"/> into their day and drops buckets that end at or
        /// before <paramref name="oldestHour"/>; returns how many buckets went, and whether the ledger is now empty and released.</summary>
        public int Maintain(long oldestHour, long dailyBeforeHour, out bool released)
        {
            lock (_buckets)
            {
                Span<Bucket> buckets = CollectionsMarshal.AsSpan(_buckets);
                if (buckets.Length > 0 && buckets[0].Start >= dailyBeforeHour && buckets[0].End > oldestHour)
                {
                    released = false;
                    return 0; // nothing old: the common case for an active key, checked in O(1)
                }

                int kept = 0;
                for (int read = 0; read < buckets.Length; read++)
                {
                    Bucket bucket = buckets[read];
                    if (bucket.Hours == 1 && bucket.Start < dailyBeforeHour)
                    {
                        bucket.Start = (int)DayStart(bucket.Start);
                        bucket.Hours = HoursPerDay;
                    }

                    if (bucket.End <= oldestHour)
                    {
                        continue; // expired: a folded day once all of it is older than the retention
                    }

                    if (kept > 0 && bucket.Hours == HoursPerDay && buckets[kept - 1].Hours == HoursPerDay && buckets[kept - 1].Start == bucket.Start)
                    {
                        buckets[kept - 1].Add(bucket);
                        continue;
                    }

                    buckets[kept++] = bucket;
                }

                int removed = buckets.Length - kept;
                _buckets.RemoveRange(kept, removed);
                if (_buckets.Capacity > 4 && _buckets.Count < _buckets.Capacity / 2)
                {
                    _buckets.Capacity = Math.Max(1, _buckets.Count); // give back what folding freed
                }

                _released = released = _buckets.Count == 0;
                return removed;
            }
        }

        /// <summary>Drops the buckets that start before <paramref name="cutoffHour"/>; returns how many, and whether the ledger is now empty and released.</summary>
        public int RemoveBefore(long cutoffHour, out bool released)
        {
            lock (_buckets)
            {
                int drop = 0;
                while (drop < _buckets.Count && _buckets[drop].Start < cutoffHour)
                {
                    drop++;
                }

                if (drop > 0)
                {
                    _buckets.RemoveRange(0, drop);
                }

                _released = released = _buckets.Count == 0;
                return drop;
            }
        }

        public void CountByStart(Dictionary<int, long> byStart)
        {
            lock (_buckets)
            {
                foreach (ref readonly Bucket bucket in CollectionsMarshal.AsSpan(_buckets))
                {
                    ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(byStart, bucket.Start, out _);
                    count++;
                }
            }
        }
    }
}
