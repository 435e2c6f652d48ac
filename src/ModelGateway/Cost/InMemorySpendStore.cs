using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ModelGateway.Cost;

/// <summary>
/// The default <see cref="ISpendStore"/>: spend in hourly buckets per key, per dimension, in memory. Buckets older than
/// the retention are dropped once an hour (as calls are recorded), and a key with no bucket left is released, so memory
/// is bounded by the keys active within the retention times the hours they were active. Thread-safe: one short lock per
/// key. A single process only: spend is lost on restart and not shared between instances.
/// </summary>
internal sealed class InMemorySpendStore : ISpendStore
{
    private const string GlobalKey = "";
    private static readonly long TicksPerHour = TimeSpan.TicksPerHour;

    private readonly TimeProvider _timeProvider;
    private readonly long _retentionHours;
    private readonly ConcurrentDictionary<string, Ledger>[] _dimensions;
    private long _prunedAtHour;

    public InMemorySpendStore(TimeProvider timeProvider)
        : this(timeProvider, CostDefaults.SpendRetention)
    {
    }

    public InMemorySpendStore(TimeProvider timeProvider, TimeSpan retention)
    {
        _timeProvider = timeProvider;
        _retentionHours = Math.Max(1, (long)Math.Ceiling(retention.TotalHours));
        _dimensions = new ConcurrentDictionary<string, Ledger>[(int)SpendDimension.Deployment + 1];
        for (int i = 0; i < _dimensions.Length; i++)
        {
            _dimensions[i] = new ConcurrentDictionary<string, Ledger>(StringComparer.Ordinal);
        }

        _prunedAtHour = HourOf(timeProvider.GetUtcNow());
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

    public void Record(in SpendRecord record)
    {
        long hour = HourOf(record.Timestamp);
        var entry = new Bucket
        {
            Hour = hour,
            CostUsd = record.CostUsd ?? 0,
            InputTokens = record.InputTokens,
            CachedInputTokens = record.CachedInputTokens,
            OutputTokens = record.OutputTokens,
            Requests = record.Answered ? 1 : 0,
            UnpricedCalls = record.CostUsd is null && (record.InputTokens > 0 || record.OutputTokens > 0) ? 1 : 0,
        };

        Add(SpendDimension.Global, GlobalKey, entry);
        Add(SpendDimension.User, record.User, entry);
        Add(SpendDimension.Team, record.Team, entry);
        Add(SpendDimension.Feature, record.Feature, entry);
        if (record.Tags is { } tags)
        {
            for (int i = 0; i < tags.Count; i++)
            {
                if (!string.IsNullOrEmpty(tags[i]))
                {
                    Add(SpendDimension.Tag, tags[i], entry);
                }
            }
        }

        Add(SpendDimension.Model, record.Model, entry);
        Add(SpendDimension.Provider, record.Provider, entry);
        Add(SpendDimension.Deployment, record.Deployment, entry);
        PruneIfDue();
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

    private static long HourOf(DateTimeOffset instant) => Math.DivRem(instant.UtcTicks, TicksPerHour, out long rest) - (rest < 0 ? 1 : 0);

    private static long ToHourExclusive(DateTimeOffset instant)
    {
        long hours = Math.DivRem(instant.UtcTicks, TicksPerHour, out long rest);
        return rest > 0 ? hours + 1 : hours;
    }

    private void Add(SpendDimension dimension, string key, in Bucket entry)
    {
        ConcurrentDictionary<string, Ledger> keys = _dimensions[(int)dimension];
        while (true)
        {
            Ledger ledger = keys.GetOrAdd(key, static _ => new Ledger());
            if (ledger.TryAdd(entry))
            {
                return;
            }

            // Released by a prune between the lookup and the add: look again, a new ledger takes its place.
        }
    }

    private void PruneIfDue()
    {
        long hour = HourOf(_timeProvider.GetUtcNow());
        long last = Interlocked.Read(ref _prunedAtHour);
        if (hour <= last || Interlocked.CompareExchange(ref _prunedAtHour, hour, last) != last)
        {
            return;
        }

        long oldest = hour - _retentionHours + 1;
        foreach (ConcurrentDictionary<string, Ledger> keys in _dimensions)
        {
            foreach (KeyValuePair<string, Ledger> pair in keys)
            {
                if (pair.Value.PruneBefore(oldest))
                {
                    keys.TryRemove(pair);
                }
            }
        }
    }

    private struct Bucket
    {
        public long Hour;
        public decimal CostUsd;
        public long InputTokens;
        public long CachedInputTokens;
        public long OutputTokens;
        public long Requests;
        public long UnpricedCalls;

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

    /// <summary>One key's hourly buckets, oldest first.</summary>
    private sealed class Ledger
    {
        private readonly List<Bucket> _buckets = new(1);
        private bool _released;

        public bool TryAdd(in Bucket entry)
        {
            lock (_buckets)
            {
                if (_released)
                {
                    return false;
                }

                Span<Bucket> buckets = CollectionsMarshal.AsSpan(_buckets);
                int i = buckets.Length - 1;

                // Calls arrive in time order but for a race at the turn of an hour, so the right bucket is (nearly) always the last.
                while (i >= 0 && buckets[i].Hour > entry.Hour)
                {
                    i--;
                }

                if (i >= 0 && buckets[i].Hour == entry.Hour)
                {
                    buckets[i].Add(entry);
                }
                else
                {
                    _buckets.Insert(i + 1, entry);
                }

                return true;
            }
        }

        public SpendSummary Sum(long firstHour, long endHourExclusive)
        {
            var total = default(Bucket);
            lock (_buckets)
            {
                foreach (Bucket bucket in CollectionsMarshal.AsSpan(_buckets))
                {
                    if (bucket.Hour >= firstHour && bucket.Hour < endHourExclusive)
                    {
                        total.Add(bucket);
                    }
                }
            }

            return new SpendSummary(total.CostUsd, total.InputTokens, total.CachedInputTokens, total.OutputTokens, total.Requests, total.UnpricedCalls);
        }

        /// <summary>Drops buckets before <paramref name="oldestHour"/>; returns whether the ledger is now empty and released.</summary>
        public bool PruneBefore(long oldestHour)
        {
            lock (_buckets)
            {
                int drop = 0;
                while (drop < _buckets.Count && _buckets[drop].Hour < oldestHour)
                {
                    drop++;
                }

                if (drop > 0)
                {
                    _buckets.RemoveRange(0, drop);
                }

                _released = _buckets.Count == 0;
                return _released;
            }
        }
    }
}
