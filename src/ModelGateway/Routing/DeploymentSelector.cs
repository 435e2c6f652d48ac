namespace ModelGateway.Routing;

/// <summary>
/// Chooses one deployment among the candidates by the group's strategy. Every strategy is one or two passes over the
/// deployments, allocates nothing, and reads the live counters without locks (a draw from an injected, seeded
/// <see cref="Random"/> is the only locked step; <see cref="Random.Shared"/> is not locked).
/// </summary>
internal static class DeploymentSelector
{
    /// <summary>Returns the chosen index, or -1 when no deployment qualifies.</summary>
    /// <param name="group">The group, for its strategy and round-robin counter.</param>
    /// <param name="deployments">The group's deployments.</param>
    /// <param name="excluded">The deployments that are not candidates (already tried, cooling down, failing a pre-call check).</param>
    /// <param name="input">What the strategy may need to know about the request.</param>
    public static int Select(ModelGroup group, Deployment[] deployments, ReadOnlySpan<bool> excluded, in SelectionInput input) => group.Strategy switch
    {
        RoutingStrategy.Priority => First(excluded),
        RoutingStrategy.RoundRobin => RoundRobin(group, excluded),
        RoutingStrategy.LeastBusy => LeastBusy(deployments, excluded),
        RoutingStrategy.LowestLatency => LowestLatency(deployments, excluded, input),
        RoutingStrategy.LowestCost => LowestCost(deployments, excluded, input),
        RoutingStrategy.UsageBased => UsageBased(deployments, excluded, input),
        _ => Weighted(deployments, excluded, input.Random),
    };

    /// <summary>Chooses among the deployments not in <paramref name="excluded"/> whose <c>MaxInputTokens</c> exceeds
    /// <paramref name="minMaxInputTokens"/> (when set). Kept for callers without a <see cref="SelectionInput"/>.</summary>
    public static int Select(ModelGroup group, Deployment[] deployments, bool[] excluded, int? minMaxInputTokens, Random random)
    {
        bool[] mask = excluded;
        if (minMaxInputTokens is { } min)
        {
            mask = new bool[deployments.Length];
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = excluded[i] || deployments[i].MaxInputTokens is not { } max || max <= min;
            }
        }

        return Select(group, deployments, mask, new SelectionInput(random, 0, RoutingConstants.AssumedOutputTokens, streaming: false, minute: 0));
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

    private static int First(ReadOnlySpan<bool> excluded)
    {
        for (int i = 0; i < excluded.Length; i++)
        {
            if (!excluded[i])
            {
                return i;
            }
        }

        return -1;
    }

    private static int RoundRobin(ModelGroup group, ReadOnlySpan<bool> excluded)
    {
        int n = excluded.Length;
        int start = (int)((uint)group.NextTurn() % (uint)n);
        for (int k = 0; k < n; k++)
        {
            int i = (start + k) % n;
            if (!excluded[i])
            {
                return i;
            }
        }

        return -1;
    }

    private static int LeastBusy(Deployment[] deployments, ReadOnlySpan<bool> excluded)
    {
        int best = -1;
        long bestLoad = long.MaxValue;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (!excluded[i] && deployments[i].InFlight is long load && load < bestLoad)
            {
                best = i;
                bestLoad = load;
            }
        }

        return best;
    }

    private static int LowestLatency(Deployment[] deployments, ReadOnlySpan<bool> excluded, in SelectionInput input)
    {
        if (NextDouble(input.Random) < RoutingConstants.LatencyExplorationRate)
        {
            return Uniform(excluded, input.Random);
        }

        int best = -1;
        double bestLatency = double.MaxValue;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (excluded[i])
            {
                continue;
            }

            LatencyAverage average = input.Streaming ? deployments[i].FirstChunkLatency : deployments[i].ResponseLatency;
            double latency = average.Milliseconds;
            if (double.IsNaN(latency))
            {
                return i; // never measured: measure it first
            }

            if (latency < bestLatency)
            {
                best = i;
                bestLatency = latency;
            }
        }

        return best;
    }

    private static int LowestCost(Deployment[] deployments, ReadOnlySpan<bool> excluded, in SelectionInput input)
    {
        // Costs are ordered in double (a few nanoseconds per deployment instead of tens in decimal); two costs too close
        // for double to order for certain are compared exactly in decimal, so the choice is the exact decimal one.
        int best = -1;
        bool bestPriced = false;
        double bestApproximation = double.MaxValue;
        double inputTokens = input.EstimatedInputTokens;
        double outputTokens = input.ExpectedOutputTokens;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (excluded[i])
            {
                continue;
            }

            Deployment d = deployments[i];
            if (!d.IsPriced)
            {
                // An unpriced deployment is never cheaper than a priced one: its cost is unknown, not zero.
                if (best < 0)
                {
                    best = i;
                }

                continue;
            }

            double approximation = (inputTokens * d.InputPriceApproximation) + (outputTokens * d.OutputPriceApproximation);
            if (!bestPriced
                || (TooCloseToOrder(approximation, bestApproximation)
                    ? ExactCost(d, input) < ExactCost(deployments[best], input)
                    : approximation < bestApproximation))
            {
                best = i;
                bestApproximation = approximation;
                bestPriced = true;
            }
        }

        return best;
    }

    /// <summary>Whether two costs computed in double may be in the wrong order (their relative difference is near double's precision).</summary>
    private static bool TooCloseToOrder(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static decimal ExactCost(Deployment d, in SelectionInput input) =>
        (input.EstimatedInputTokens * (d.InputPricePerMillion ?? 0m)) + (input.ExpectedOutputTokens * (d.OutputPricePerMillion ?? 0m));

    private static int UsageBased(Deployment[] deployments, ReadOnlySpan<bool> excluded, in SelectionInput input)
    {
        int best = -1;
        double bestShare = double.MaxValue;
        long bestTokens = long.MaxValue;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (excluded[i])
            {
                continue;
            }

            Deployment d = deployments[i];
            long tokens = d.Usage.Tokens(input.Minute);
            double share = 0;
            if (d.Rpm is int rpm and > 0)
            {
                share = d.Usage.Requests(input.Minute) / (double)rpm;
            }

            if (d.Tpm is int tpm and > 0)
            {
                share = Math.Max(share, tokens / (double)tpm);
            }

            if (share < bestShare || (share == bestShare && tokens < bestTokens))
            {
                best = i;
                bestShare = share;
                bestTokens = tokens;
            }
        }

        return best;
    }

    private static int Uniform(ReadOnlySpan<bool> excluded, Random random)
    {
        int candidates = 0;
        for (int i = 0; i < excluded.Length; i++)
        {
            if (!excluded[i])
            {
                candidates++;
            }
        }

        if (candidates == 0)
        {
            return -1;
        }

        int pick = (int)(NextDouble(random) * candidates);
        for (int i = 0; i < excluded.Length; i++)
        {
            if (!excluded[i] && pick-- == 0)
            {
                return i;
            }
        }

        return First(excluded);
    }

    private static int Weighted(Deployment[] deployments, ReadOnlySpan<bool> excluded, Random random)
    {
        double total = 0;
        int firstCandidate = -1;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (!excluded[i])
            {
                total += deployments[i].Weight;
                if (firstCandidate < 0)
                {
                    firstCandidate = i;
                }
            }
        }

        if (total <= 0)
        {
            // Only zero-weight deployments are left: they take traffic only now, in list order.
            return firstCandidate;
        }

        double draw = NextDouble(random) * total;
        int last = -1;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (excluded[i] || deployments[i].Weight <= 0)
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
