namespace ModelGateway.Routing;

/// <summary>Which attempt this is: the group and deployment called, its number within the request, and the wait before it.</summary>
internal readonly struct AttemptInfo
{
    public AttemptInfo(ModelGroup group, Deployment deployment, int number, TimeSpan delay)
    {
        Group = group;
        Deployment = deployment;
        Number = number;
        Delay = delay;
    }

    public ModelGroup Group { get; }

    public Deployment Deployment { get; }

    /// <summary>Gets the attempt's number within the request, starting at 1.</summary>
    public int Number { get; }

    public TimeSpan Delay { get; }
}
