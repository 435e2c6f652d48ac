namespace ModelGateway.Routing;

/// <summary>Chooses one deployment among those not yet tried, by the group's strategy. O(number of deployments), no allocation.</summary>
internal static class DeploymentSelector
{
    /// <summary>Returns the chosen index, or -1 when no deployment qualifies.</summary>
    /// <param name="group">The group, for its strategy and round-robin counter.</param>
    /// <param name="deployments">The group's deployments.</param>
    /// <param name="excluded">Deployments already tried in this request.</param>
    /// <param name="minMaxInputTokens">When set, only deployments whose <c>MaxInputTokens</c> is larger qualify.</param>
    /// <param name="random">The source of randomness for weighted choice.</param>
    public static int Select(ModelGroup group, Deployment[] deployments, bool[] excluded, int? minMaxInputTokens, Random random)
    {
        return group.Strategy switch
        {
            RoutingStrategy.Priority => First(deployments, excluded, minMaxInputTokens),
            RoutingStrategy.RoundRobin => RoundRobin(group, deployments, excluded, minMaxInputTokens),
            RoutingStrategy.LeastBusy => LeastBusy(deployments, excluded, minMaxInputTokens),
            _ => Weighted(deployments, excluded, minMaxInputTokens, random),
        };
    }

    /// <summary>Draws from <paramref name="random"/>; <see cref="Random.Shared"/> is thread-safe, an injected instance is locked.</summary>
    public static double NextDouble(Random random)
    {
        if (ReferenceEquals(random, Random.Shared))
        {
            return random.NextDouble();
        }

        lock (random)
        {
            return random.NextDouble();
        }
    }

    private static bool Qualifies(Deployment deployment, bool excluded, int? minMaxInputTokens) =>
        !excluded && (minMaxInputTokens is not { } min || (deployment.MaxInputTokens is { } max && max > min));

    private static int First(Deployment[] deployments, bool[] excluded, int? min)
    {
        for (int i = 0; i < deployments.Length; i++)
        {
            if (Qualifies(deployments[i], excluded[i], min))
            {
                return i;
            }
        }

        return -1;
    }

    private static int RoundRobin(ModelGroup group, Deployment[] deployments, bool[] excluded, int? min)
    {
        int start = (int)((uint)group.NextTurn() % (uint)deployments.Length);
        for (int k = 0; k < deployments.Length; k++)
        {
            int i = (start + k) % deployments.Length;
            if (Qualifies(deployments[i], excluded[i], min))
            {
                return i;
            }
        }

        return -1;
    }

    private static int LeastBusy(Deployment[] deployments, bool[] excluded, int? min)
    {
        int best = -1;
        long bestLoad = long.MaxValue;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (Qualifies(deployments[i], excluded[i], min) && deployments[i].InFlight < bestLoad)
            {
                best = i;
                bestLoad = deployments[i].InFlight;
            }
        }

        return best;
    }

    private static int Weighted(Deployment[] deployments, bool[] excluded, int? min, Random random)
    {
        double total = 0;
        int firstQualifying = -1;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (Qualifies(deployments[i], excluded[i], min))
            {
                total += deployments[i].Weight;
                if (firstQualifying < 0)
                {
                    firstQualifying = i;
                }
            }
        }

        if (total <= 0)
        {
            // Only zero-weight deployments are left: they take traffic only now, in list order.
            return firstQualifying;
        }

        double draw = NextDouble(random) * total;

        int last = -1;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (!Qualifies(deployments[i], excluded[i], min) || deployments[i].Weight <= 0)
            {
                continue;
            }

            last = i;
            draw -= deployments[i].Weight;
            if (draw < 0)
            {
                return i;
            }
        }

        return last;
    }
}
