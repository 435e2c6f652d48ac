using Microsoft.Extensions.AI;
using ModelGateway.Resilience;

namespace ModelGateway.Routing;

/// <summary>
/// Decides, for one request, which deployment to call next and after what wait.
/// <list type="number">
/// <item>Within a group, every deployment the last failure allows gets its chance, chosen by the group's strategy among
/// those not cooling down and passing the pre-call checks (<c>MaxInputTokens</c>, <c>Rpm</c>, <c>Tpm</c>); moving to a
/// new deployment does not wait. Failover is never cut short by <c>MaxRetries</c>.</item>
/// <item>Then retryable failures are retried until <c>1 + MaxRetries</c> attempts were made in the group, preferring a
/// deployment other than the one that just failed (the one that failed longest ago), each after backoff or its
/// Retry-After; a Retry-After above <c>MaxRetryAfter</c> rules that deployment out instead of waiting.</item>
/// <item>When nothing is available because every deployment is cooling down, the least recently failed is still tried.</item>
/// <item>Then the group's fallbacks for the failure's kind are queued, breadth-first, each alias at most once, at most
/// <see cref="GatewayDefaults.MaxFallbackDepth"/> deep.</item>
/// </list>
/// Nothing is planned past the request's <c>TotalTimeout</c>. Not thread-safe: one request drives it.
/// </summary>
/// <remarks>
/// A mutable struct so that a request's plan costs no allocation (it lives in the router's local, or its async state
/// machine): keep it in one variable and pass it by <see langword="ref"/>; a copy would plan on its own.
/// </remarks>
internal struct AttemptPlanner
{
    /// <summary>Groups up to this many deployments keep their per-selection mask on the stack.</summary>
    private const int MaxStackDeployments = 256;

    private readonly RoutingTable _table;
    private readonly ResilienceOptions _resilience;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly IEnumerable<ChatMessage> _messages;
    private readonly ChatOptions? _options;
    private readonly bool _streaming;
    private int _estimate = -1;
    private Queue<(ModelGroup Group, int Depth)>? _pending;
    private HashSet<string>? _visited;
    private ModelGroup? _group;
    private int _depth;
    private DeploymentFlags _tried;
    private DeploymentFlags _retryable;
    private FailureLog _failures;
    private int _groupAttempts;
    private int _groupRetries;
    private int _lastFailed = -1;
    private long _decidedAt;
    private long _decidedAtUtcTicks;

    public AttemptPlanner(
        ModelGroup first, RoutingTable table, ResilienceOptions resilience, Random random, TimeProvider time, long started, IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        _group = first;
        _table = table;
        _resilience = resilience;
        _random = random;
        _time = time;
        _started = started;
        _messages = messages;
        _options = options;
        _streaming = streaming;
        _tried = new DeploymentFlags(first.Deployments.Length);
        _retryable = new DeploymentFlags(first.Deployments.Length);
    }

    /// <summary>Gets the last failure (possibly a pre-call check that ruled out a whole group), or <see langword="null"/> before any.</summary>
    public ProviderException? LastError { get; private set; }

    /// <summary>Gets how many attempts were planned.</summary>
    public int TotalAttempts { get; private set; }

    /// <summary>Gets whether planning stopped because <c>TotalTimeout</c> left no time for the next attempt or wait.</summary>
    public bool TimeRanOut { get; private set; }

    /// <summary>Gets how much of <c>TotalTimeout</c> is left.</summary>
    public TimeSpan Remaining => RemainingAt(_time.GetTimestamp());

    /// <summary>Gets how much of <c>TotalTimeout</c> is left at <paramref name="timestamp"/> (from the planner's <see cref="TimeProvider"/>).</summary>
    public TimeSpan RemainingAt(long timestamp) => _resilience.TotalTimeout - _time.GetElapsedTime(_started, timestamp);

    /// <summary>Gets when the latest planned attempt was decided: a timestamp of the planner's <see cref="TimeProvider"/>.</summary>
    /// <remarks>With <see cref="PlannedAttempt.Delay"/> zero the attempt starts now, so this serves as its start (one clock read fewer).</remarks>
    public readonly long DecidedAt => _decidedAt;

    /// <summary>Gets when the latest planned attempt was decided, in UTC ticks of the planner's <see cref="TimeProvider"/>.</summary>
    public readonly long DecidedAtUtcTicks => _decidedAtUtcTicks;

    /// <summary>Gets the prompt's estimated size in tokens (0 when no group so far needed it).</summary>
    public int EstimatedInputTokens => _estimate < 0 ? 0 : _estimate;

    /// <summary>Plans the next attempt; <see langword="false"/> when every option is exhausted or the time is up.</summary>
    public bool TryNext(out PlannedAttempt attempt)
    {
        while (true)
        {
            long timestamp = _time.GetTimestamp();
            if (RemainingAt(timestamp) <= TimeSpan.Zero)
            {
                TimeRanOut = true;
                attempt = default;
                return false;
            }

            _decidedAt = timestamp;

            if (_group is not null)
            {
                if (TryNextInGroup(_group, out attempt))
                {
                    _tried.Set(attempt.Index);
                    _groupAttempts++;
                    TotalAttempts++;
                    return true;
                }

                QueueFallbacks(_group);
                _group = null;
            }

            if (_pending is null || !_pending.TryDequeue(out (ModelGroup Group, int Depth) next))
            {
                attempt = default;
                return false;
            }

            _group = next.Group;
            _depth = next.Depth;
            _tried = new DeploymentFlags(next.Group.Deployments.Length);
            _retryable = new DeploymentFlags(next.Group.Deployments.Length);
            _failures = default;
            _groupAttempts = 0;
            _groupRetries = 0;
            _lastFailed = -1;
        }
    }

    /// <summary>Records that the planned attempt failed.</summary>
    public void OnFailure(in PlannedAttempt attempt, ProviderException error)
    {
        int i = attempt.Index;
        _lastFailed = i;
        LastError = error;
        _failures.Record(i, TotalAttempts, error.RetryAfter, attempt.Group.Deployments.Length);
        bool waitTooLong = error.RetryAfter is { } retryAfter && retryAfter > _resilience.MaxRetryAfter;
        if (ErrorPolicy.IsRetryable(error.Kind) && !waitTooLong)
        {
            _retryable.Set(i);
        }
        else
        {
            _retryable.Clear(i);
        }
        if (ErrorPolicy.StopsRequest(error.Kind))
        {
            _group = null;
            _pending?.Clear();
        }
    }

    private bool TryNextInGroup(ModelGroup group, out PlannedAttempt attempt)
    {
        long now = _time.GetUtcNow().UtcTicks;
        _decidedAtUtcTicks = now;
        long minute = MinuteUsage.MinuteOf(now);
        if (group.NeedsTokenEstimate && _estimate < 0)
        {
            _estimate = TokenEstimator.Estimate(_messages, _options);
        }

        if (_groupAttempts == 0)
        {
            return TryNewDeployment(group, now, minute, larger: null, out attempt)
                || TryLeastRecentlyFailed(group, minute, retries: false, out attempt)
                || RuledOutBeforeCalling(group, out attempt);
        }

        ProviderErrorKind kind = LastError!.Kind;
        int retryLimit = 1 + Math.Max(0, _resilience.MaxRetries);
        if (!ErrorPolicy.MovesToOtherDeployment(kind) || _groupAttempts >= Math.Max(retryLimit, group.Deployments.Length))
        {
            attempt = default;
            return false;
        }

        int? larger = kind == ProviderErrorKind.ContextWindowExceeded ? group.Deployments[_lastFailed].MaxInputTokens ?? int.MaxValue : null;
        if (TryNewDeployment(group, now, minute, larger, out attempt))
        {
            return true;
        }

        if (kind == ProviderErrorKind.ContextWindowExceeded || _groupAttempts >= retryLimit)
        {
            return false;
        }

        return TryRetry(group, now, minute, out attempt);
    }

    /// <summary>A deployment not yet tried in this request, by strategy, among those available and passing the checks.</summary>
    private bool TryNewDeployment(ModelGroup group, long now, long minute, int? larger, out PlannedAttempt attempt)
    {
        Deployment[] deployments = group.Deployments;
        Span<bool> excluded = deployments.Length <= MaxStackDeployments ? stackalloc bool[deployments.Length] : new bool[deployments.Length];
        for (int i = 0; i < deployments.Length; i++)
        {
            Deployment d = deployments[i];
            excluded[i] = _tried[i]
                || (larger is { } min && (d.MaxInputTokens is not { } max || max <= min))
                || !PassesPreCallChecks(d, minute)
                || !d.Cooldown.IsAvailable(now);
        }

        var input = new SelectionInput(_random, EstimatedInputTokens, ExpectedOutputTokens(group), _streaming, minute);
        while (true)
        {
            int index = DeploymentSelector.Select(group, deployments, excluded, input);
            if (index < 0)
            {
                attempt = default;
                return false;
            }

            if (deployments[index].Cooldown.TryBegin(now, out bool isTrial))
            {
                attempt = new PlannedAttempt(group, deployments[index], index, TimeSpan.Zero, isTrial);
                return true;
            }

            excluded[index] = true; // another request took its half-open trial
        }
    }

    /// <summary>A retry of a deployment that failed retryably in this request, preferring another than the last one, after a wait.</summary>
    private bool TryRetry(ModelGroup group, long now, long minute, out PlannedAttempt attempt)
    {
        Deployment[] deployments = group.Deployments;
        int chosen = -1;
        bool isTrial = false;
        for (int pass = 0; pass < 2 && chosen < 0; pass++)
        {
            // First pass: any other retryable deployment that is available, the one that failed longest ago first.
            // Second pass: the deployment that failed last.
            for (int i = 0; i < deployments.Length; i++)
            {
                if (!_retryable[i] || (pass == 0) == (i == _lastFailed) || !PassesPreCallChecks(deployments[i], minute) || !deployments[i].Cooldown.IsAvailable(now))
                {
                    continue;
                }

                if (chosen < 0 || _failures.FailedAt(i) < _failures.FailedAt(chosen))
                {
                    chosen = i;
                }
            }

            if (chosen >= 0 && !deployments[chosen].Cooldown.TryBegin(now, out isTrial))
            {
                chosen = -1;
            }
        }

        if (chosen < 0)
        {
            return TryLeastRecentlyFailed(group, minute, retries: true, out attempt);
        }

        return PlanRetry(group, chosen, isTrial, out attempt);
    }

    /// <summary>
    /// When every candidate is cooling down, the one whose last counted failure is oldest is still tried rather than
    /// failing without an attempt. For a group's first attempt the candidates are the untried deployments; for a retry,
    /// the retryable ones.
    /// </summary>
    private bool TryLeastRecentlyFailed(ModelGroup group, long minute, bool retries, out PlannedAttempt attempt)
    {
        Deployment[] deployments = group.Deployments;
        int chosen = -1;
        for (int i = 0; i < deployments.Length; i++)
        {
            bool candidate = retries ? _retryable[i] : !_tried[i];
            if (candidate && PassesPreCallChecks(deployments[i], minute)
                && (chosen < 0 || deployments[i].Cooldown.LastFailureTicks < deployments[chosen].Cooldown.LastFailureTicks))
            {
                chosen = i;
            }
        }

        if (chosen < 0)
        {
            attempt = default;
            return false;
        }

        if (retries)
        {
            return PlanRetry(group, chosen, isTrial: false, out attempt);
        }

        attempt = new PlannedAttempt(group, deployments[chosen], chosen, TimeSpan.Zero, isTrial: false);
        return true;
    }

    private bool PlanRetry(ModelGroup group, int index, bool isTrial, out PlannedAttempt attempt)
    {
        TimeSpan delay = _failures.RetryAfter(index)
            ?? Backoff.Delay(_groupRetries + 1, _resilience, DeploymentSelector.NextDouble(_random));
        if (delay >= Remaining)
        {
            // Waiting would outlast TotalTimeout: give the time to a fallback instead.
            TimeRanOut = true;
            group.Deployments[index].Cooldown.OnReleased(isTrial);
            attempt = default;
            return false;
        }

        _groupRetries++;
        attempt = new PlannedAttempt(group, group.Deployments[index], index, delay, isTrial);
        return true;
    }

    /// <summary>No deployment of the group passes the pre-call checks: record why, so the right fallbacks follow.</summary>
    private bool RuledOutBeforeCalling(ModelGroup group, out PlannedAttempt attempt)
    {
        attempt = default;
        bool tooLong = true;
        foreach (Deployment d in group.Deployments)
        {
            tooLong &= d.MaxInputTokens is { } max && EstimatedInputTokens > max;
        }

        LastError = tooLong
            ? new ProviderException(
                ProviderErrorKind.ContextWindowExceeded,
                $"The prompt (about {EstimatedInputTokens} tokens) is larger than the MaxInputTokens of every deployment of model '{group.Name}'.")
            : new ProviderException(
                ProviderErrorKind.RateLimited,
                $"Every deployment of model '{group.Name}' has used its Rpm or Tpm for this minute.")
            {
                RetryAfter = TimeSpan.FromTicks(TimeSpan.TicksPerMinute - (_time.GetUtcNow().UtcTicks % TimeSpan.TicksPerMinute)),
            };
        return false;
    }

    private bool PassesPreCallChecks(Deployment d, long minute) =>
        (d.MaxInputTokens is not { } max || EstimatedInputTokens <= max)
        && (d.Rpm is not { } rpm || d.Usage.Requests(minute) < rpm)
        && (d.Tpm is not { } tpm || d.Usage.Tokens(minute) + EstimatedInputTokens <= tpm);

    private int ExpectedOutputTokens(ModelGroup group) =>
        _options?.MaxOutputTokens ?? group.MaxOutputTokens ?? RoutingConstants.AssumedOutputTokens;

    private void QueueFallbacks(ModelGroup group)
    {
        if (LastError is null || _depth >= GatewayDefaults.MaxFallbackDepth)
        {
            return;
        }

        string[] fallbacks = ErrorPolicy.FallbacksFor(group, LastError.Kind);
        if (fallbacks.Length == 0)
        {
            return;
        }

        _visited ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase) { group.Name };
        _visited.Add(group.Name);
        foreach (string alias in fallbacks)
        {
            if (_visited.Add(alias) && _table.TryGetGroup(alias, out ModelGroup fallback))
            {
                (_pending ??= new Queue<(ModelGroup, int)>()).Enqueue((fallback, _depth + 1));
            }
        }
    }

    /// <summary>One flag per deployment of the current group: bits for up to 64 deployments (no allocation), an array above.</summary>
    private struct DeploymentFlags
    {
        private readonly bool[]? _large;
        private ulong _bits;

        public DeploymentFlags(int count)
        {
            _large = count > 64 ? new bool[count] : null;
            _bits = 0;
        }

        public readonly bool this[int index] => _large is null ? (_bits & (1UL << index)) != 0 : _large[index];

        public void Set(int index)
        {
            if (_large is null)
            {
                _bits |= 1UL << index;
            }
            else
            {
                _large[index] = true;
            }
        }

        public void Clear(int index)
        {
            if (_large is null)
            {
                _bits &= ~(1UL << index);
            }
            else
            {
                _large[index] = false;
            }
        }
    }

    /// <summary>When each deployment of the current group last failed in this request and the Retry-After it gave; allocated on the first failure.</summary>
    private struct FailureLog
    {
        private int[]? _failedAt;
        private TimeSpan?[]? _retryAfter;

        /// <summary>Gets the number of the attempt on which the deployment last failed (0: it did not).</summary>
        public readonly int FailedAt(int index) => _failedAt is null ? 0 : _failedAt[index];

        public readonly TimeSpan? RetryAfter(int index) => _retryAfter?[index];

        public void Record(int index, int attemptNumber, TimeSpan? retryAfter, int count)
        {
            _failedAt ??= new int[count];
            _retryAfter ??= new TimeSpan?[count];
            _failedAt[index] = attemptNumber;
            _retryAfter[index] = retryAfter;
        }
    }
}
