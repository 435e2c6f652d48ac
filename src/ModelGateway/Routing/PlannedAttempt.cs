namespace ModelGateway.Routing;

/// <summary>The next attempt the <see cref="AttemptPlanner"/> chose: where, after what wait, and whether it is a half-open trial.</summary>
internal readonly struct PlannedAttempt
{
    public PlannedAttempt(ModelGroup group, Deployment deployment, int index, TimeSpan delay, bool isTrial)
    {
        Group = group;
        Deployment = deployment;
        Index = index;
        Delay = delay;
        IsTrial = isTrial;
    }

    public ModelGroup Group { get; }

    public Deployment Deployment { get; }

    /// <summary>Gets the deployment's index in <see cref="ModelGroup.Deployments"/>.</summary>
    public int Index { get; }

    /// <summary>Gets how long to wait before the attempt (backoff or Retry-After; zero when moving to a new deployment).</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets whether this attempt is the one trial a half-open deployment lets through.</summary>
    public bool IsTrial { get; }
}
