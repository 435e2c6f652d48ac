namespace ModelGateway.Routing;

/// <summary>What a strategy may need to know about the request besides the deployments: passed by reference, no allocation.</summary>
internal readonly struct SelectionInput
{
    public SelectionInput(Random random, int estimatedInputTokens, int expectedOutputTokens, bool streaming, long minute)
    {
        Random = random;
        EstimatedInputTokens = estimatedInputTokens;
        ExpectedOutputTokens = expectedOutputTokens;
        Streaming = streaming;
        Minute = minute;
    }

    public Random Random { get; }

    /// <summary>Gets the prompt's estimated size (see <see cref="TokenEstimator"/>), or 0 when the group does not need it.</summary>
    public int EstimatedInputTokens { get; }

    /// <summary>Gets the output size <see cref="RoutingStrategy.LowestCost"/> prices: the request's <c>MaxOutputTokens</c>, else
    /// <see cref="RoutingConstants.AssumedOutputTokens"/>.</summary>
    public int ExpectedOutputTokens { get; }

    public bool Streaming { get; }

    /// <summary>Gets the current UTC minute (see <see cref="MinuteUsage.MinuteOf"/>).</summary>
    public long Minute { get; }
}
