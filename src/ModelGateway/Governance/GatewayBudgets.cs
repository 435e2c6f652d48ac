using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelGateway.Gateway;

namespace ModelGateway.Governance;

/// <summary>
/// The configured budgets: checks a request against every budget that applies to it before the call (reserving the
/// call's estimated cost on each) and charges what it cost after. A counter first seen in a period starts from the
/// <see cref="ISpendStore"/>'s total for that key and period, so counters can be released when idle (bounded memory) and
/// a persistent store keeps budgets across restarts. Thread-safe.
/// </summary>
internal sealed partial class GatewayBudgets
{
    private readonly BudgetRule[] _rules;
    private readonly ISpendStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _sweptAt;
    private int _sweeping;

    public GatewayBudgets(IOptions<ModelGatewayOptions> options, ISpendStore store, TimeProvider time, ILoggerFactory? loggerFactory = null)
    {
        IList<BudgetOptions> budgets = options.Value.Budgets;
        _rules = new BudgetRule[budgets.Count];
        for (int i = 0; i < _rules.Length; i++)
        {
            _rules[i] = new BudgetRule(budgets[i]);
        }

        _store = store;
        _time = time;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ModelGateway.Budgets");
        _sweptAt = time.GetTimestamp();
    }

    public bool Enabled => _rules.Length > 0;

    /// <summary>Gets the number of live counters, across every budget (for tests of the memory bound).</summary>
    internal int CounterCount
    {
        get
        {
            int count = 0;
            foreach (BudgetRule rule in _rules)
            {
                count += rule.Counters.Count;
            }

            return count;
        }
    }

    /// <summary>Reserves <paramref name="estimate"/> on every budget that applies to the request.</summary>
    /// <exception cref="BudgetExceededException">A budget's spend (with reservations) already reached its limit; nothing stays reserved.</exception>
    public BudgetReservation Reserve(GatewayRequestContext context, decimal estimate)
    {
        DateTimeOffset now = _time.GetUtcNow();
        long timestamp = _time.GetTimestamp();
        SweepIfDue(timestamp);

        List<BudgetCounter>? reserved = null;
        var keys = new List<string>(2);
        foreach (BudgetRule rule in _rules)
        {
            keys.Clear();
            LimitKeys.Collect(rule.Scope, rule.Key, context, keys);
            foreach (string key in keys)
            {
                while (true)
                {
                    BudgetCounter counter = rule.Counters.GetOrAdd(key, static (k, state) => state.Self.CreateCounter(state.Rule, k, state.Now, state.Timestamp), (Self: this, Rule: rule, Now: now, Timestamp: timestamp));
                    BudgetCounter.Result result = counter.TryReserve(now, timestamp, estimate, rule.LimitUsd, out decimal used, out DateTimeOffset periodStart);
                    if (result == BudgetCounter.Result.Released)
                    {
                        rule.Counters.TryRemove(new KeyValuePair<string, BudgetCounter>(key, counter));
                        continue; // released by a sweep between lookup and reserve: a fresh counter re-reads the store
                    }

                    if (result == BudgetCounter.Result.Exceeded)
                    {
                        Settle(new BudgetReservation(reserved, estimate), 0);
                        LogRejected(_logger, rule.Scope, LimitKeys.Reported(rule.Scope, key) ?? "(all)", rule.LimitUsd, used);
                        throw new BudgetExceededException(rule.Scope, LimitKeys.Reported(rule.Scope, key), rule.LimitUsd, used, BudgetPeriods.End(rule.Period, periodStart));
                    }

                    (reserved ??= new List<BudgetCounter>(_rules.Length)).Add(counter);
                    break;
                }
            }
        }

        return new BudgetReservation(reserved, estimate);
    }

    /// <summary>Gives back a reservation and charges what the request actually cost (zero for a cache hit or an unpriced call).</summary>
    public void Settle(BudgetReservation reservation, decimal actualUsd)
    {
        if (reservation.Counters is not { } counters)
        {
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        long timestamp = _time.GetTimestamp();
        foreach (BudgetCounter counter in counters)
        {
            counter.Settle(now, timestamp, reservation.Estimate, actualUsd);
        }
    }

    private BudgetCounter CreateCounter(BudgetRule rule, string key, DateTimeOffset now, long timestamp)
    {
        DateTimeOffset start = BudgetPeriods.Start(rule.Period, now);
        decimal spent = 0;
        try
        {
            spent = _store.GetSpend(rule.Dimension, rule.Scope == LimitScope.Global ? null : key, start, now.AddTicks(1)).CostUsd;
        }
        catch (Exception exception)
        {
            LogStoreReadFailed(_logger, exception, rule.Scope);
        }

        return new BudgetCounter(rule.Period, start, spent, timestamp);
    }

    /// <summary>Releases counters with nothing in flight that have been idle a while, at most once per sweep interval.</summary>
    private void SweepIfDue(long timestamp)
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _sweptAt), timestamp) < Cost.CostDefaults.SweepInterval
            || Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref _sweptAt, timestamp);
            foreach (BudgetRule rule in _rules)
            {
                foreach (KeyValuePair<string, BudgetCounter> pair in rule.Counters)
                {
                    if (pair.Value.TryRelease(_time, timestamp, Cost.CostDefaults.BudgetCounterIdleTime))
                    {
                        rule.Counters.TryRemove(pair);
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Budget rejected a request: the {Scope} budget for '{Key}' of ${LimitUsd} is spent (${SpentUsd}).")]
    private static partial void LogRejected(ILogger logger, LimitScope scope, string key, decimal limitUsd, decimal spentUsd);

    [LoggerMessage(2, LogLevel.Error, "The spend store failed to report spend for a {Scope} budget; the budget starts from zero for this period.")]
    private static partial void LogStoreReadFailed(ILogger logger, Exception exception, LimitScope scope);
}
