using ModelGateway.Resilience;

namespace ModelGateway.Routing;

/// <summary>
/// Decides, for one request, which deployment to call next and after what wait. Within a group every deployment that the
/// last failure allows gets its chance (failover is never cut short), and a retryable failure may retry a deployment
/// after backoff until <c>1 + MaxRetries</c> attempts were made in the group. Then the group's fallbacks for the failure's
/// kind are queued, breadth-first, each alias at most once, at most <see cref="GatewayDefaults.MaxFallbackDepth"/> deep.
/// Not thread-safe: one request drives it.
/// </summary>
internal sealed class AttemptPlanner
{
    private readonly RoutingTable _table;
    private readonly ResilienceOptions _resilience;
    private readonly Random _random;
    private Queue<(ModelGroup Group, int Depth)>? _pending;
    private HashSet<string>? _visited;
    private ModelGroup? _group;
    private int _depth;
    private bool[] _tried;
    private int _groupAttempts;
    private int _groupRetries;
    private Deployment? _lastFailed;

    public AttemptPlanner(ModelGroup first, RoutingTable table, ResilienceOptions resilience, Random random)
    {
        _group = first;
        _table = table;
        _resilience = resilience;
        _random = random;
        _tried = new bool[first.Deployments.Length];
    }

    /// <summary>Gets the last failure, or <see langword="null"/> before any.</summary>
    public ProviderException? LastError { get; private set; }

    /// <summary>Gets how many attempts were planned.</summary>
    public int TotalAttempts { get; private set; }

    /// <summary>Plans the next attempt; <see langword="false"/> when every option is exhausted.</summary>
    public bool TryNext(out Deployment deployment, out ModelGroup group, out TimeSpan delay)
    {
        while (true)
        {
            if (_group is not null)
            {
                if (TryNextInGroup(_group, out deployment, out delay))
                {
                    group = _group;
                    return true;
                }

                QueueFallbacks(_group);
                _group = null;
            }

            if (_pending is null || !_pending.TryDequeue(out (ModelGroup Group, int Depth) next))
            {
                deployment = null!;
                group = null!;
                delay = TimeSpan.Zero;
                return false;
            }

            _group = next.Group;
            _depth = next.Depth;
            _tried = new bool[next.Group.Deployments.Length];
            _groupAttempts = 0;
            _groupRetries = 0;
            _lastFailed = null;
        }
    }

    /// <summary>Records that the planned attempt on <paramref name="deployment"/> failed.</summary>
    public void OnFailure(Deployment deployment, ProviderException error)
    {
        _lastFailed = deployment;
        LastError = error;
        if (ErrorPolicy.StopsRequest(error.Kind))
        {
            _group = null;
            _pending?.Clear();
        }
    }

    private bool TryNextInGroup(ModelGroup group, out Deployment deployment, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        Deployment[] deployments = group.Deployments;
        int index;
        if (_groupAttempts == 0)
        {
            index = DeploymentSelector.Select(group, deployments, _tried, minMaxInputTokens: null, _random);
        }
        else
        {
            ProviderErrorKind kind = LastError!.Kind;
            int retryLimit = 1 + Math.Max(0, _resilience.MaxRetries);
            if (!ErrorPolicy.MovesToOtherDeployment(kind) || _groupAttempts >= Math.Max(retryLimit, deployments.Length))
            {
                deployment = null!;
                return false;
            }

            int? larger = kind == ProviderErrorKind.ContextWindowExceeded ? _lastFailed!.MaxInputTokens ?? int.MaxValue : null;
            index = DeploymentSelector.Select(group, deployments, _tried, larger, _random);
            if (index < 0)
            {
                if (!ErrorPolicy.IsRetryable(kind) || _groupAttempts >= retryLimit)
                {
                    deployment = null!;
                    return false;
                }

                if (LastError.RetryAfter is { } retryAfter)
                {
                    if (retryAfter > _resilience.MaxRetryAfter)
                    {
                        // Waiting that long would hold the caller; move on to the fallbacks instead.
                        deployment = null!;
                        return false;
                    }

                    delay = retryAfter;
                }
                else
                {
                    delay = Backoff.Delay(_groupRetries + 1, _resilience, DeploymentSelector.NextDouble(_random));
                }

                _groupRetries++;
                index = Array.IndexOf(deployments, _lastFailed);
            }
        }

        if (index < 0)
        {
            deployment = null!;
            return false;
        }

        _tried[index] = true;
        _groupAttempts++;
        TotalAttempts++;
        deployment = deployments[index];
        return true;
    }

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
}
