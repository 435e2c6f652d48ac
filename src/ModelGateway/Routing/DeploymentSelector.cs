using System.Runtime.CompilerServices;

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

        bool streaming = input.Streaming;
        int best = -1;
        double bestLatency = double.MaxValue;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (excluded[i])
            {
                continue;
            }

            Deployment d = deployments[i];
            double latency = (streaming ? d.FirstChunkLatency : d.ResponseLatency).Milliseconds;
            if (latency < bestLatency)
            {
                best = i;
                bestLatency = latency;
            }
            else if (double.IsNaN(latency))
            {
                return i; // never measured: measure it first (NaN compares false, so it lands here)
            }
        }

        return best;
    }

    private static int LowestCost(Deployment[] deployments, ReadOnlySpan<bool> excluded, in SelectionInput input, bool exact = false)
    {
        // Costs are ordered in double from the prices converted once at start-up: a multiply-add per deployment and no
        // call in the loop. Two costs within CloseRelative of each other are too close for double to order for certain;
        // when that happens (rare: equal or nearly equal prices) the loop starts again in exact mode, which compares such
        // pairs in decimal, so the choice is always the exact decimal one. Costs are never negative.
        int best = -1;
        double bestBelow = double.PositiveInfinity; // a cost under this is certainly cheaper than the best priced one
        double bestAbove = double.PositiveInfinity; // a cost over this is certainly dearer
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

            double cost = (inputTokens * d.InputPriceApproximation) + (outputTokens * d.OutputPriceApproximation);
            if (cost < bestBelow || (exact && cost <= bestAbove && ExactCost(d, input) < ExactCost(deployments[best], input)))
            {
                best = i;
                bestBelow = cost * (1 - CloseRelative);
                bestAbove = cost * (1 + CloseRelative);
            }
            else if (!exact && cost <= bestAbove)
            {
                return LowestCost(deployments, excluded, input, exact: true);
            }
        }

        return best;
    }

    /// <summary>How close (relative) two costs computed in double must be to be compared exactly: far above double's
    /// precision (about 1e-16), far below any price difference that matters.</summary>
    private const double CloseRelative = 1e-9;

    private static decimal ExactCost(Deployment d, in SelectionInput input) =>
        (input.EstimatedInputTokens * (d.InputPricePerMillion ?? 0m)) + (input.ExpectedOutputTokens * (d.OutputPricePerMillion ?? 0m));

    private static int UsageBased(Deployment[] deployments, ReadOnlySpan<bool> excluded, in SelectionInput input)
    {
        // Each share (the larger of requests/Rpm and tokens/Tpm used this minute, 0 without limits) is kept as an exact
        // fraction and compared by cross-multiplying in 64 bits: no division and no call per deployment, and equal
        // shares are equal exactly. Limits fit in 31 bits, so the products fit while the counts fit in 32 bits; a count
        // beyond that (billions in a minute) sends the decision to the 128-bit pass.
        long minute = input.Minute;
        int best = -1;
        ulong bestNumerator = 0;
        ulong bestDenominator = 1;
        long bestTokens = long.MaxValue;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (excluded[i])
            {
                continue;
            }

            Deployment d = deployments[i];
            d.Usage.Read(minute, out long requests, out long tokens);
            if ((((ulong)requests | (ulong)tokens) >> 32) != 0)
            {
                return UsageBasedWide(deployments, excluded, minute);
            }

            ulong numerator = 0;
            ulong denominator = 1;
            ulong rpm = d.RpmLimit;
            ulong tpm = d.TpmLimit;
            if (rpm != 0)
            {
                numerator = (ulong)requests;
                denominator = rpm;
            }

            if (tpm != 0 && (ulong)tokens * denominator > numerator * tpm)
            {
                numerator = (ulong)tokens;
                denominator = tpm;
            }

            ulong left = numerator * bestDenominator;
            ulong right = bestNumerator * denominator;
            if (best < 0 || left < right || (left == right && tokens < bestTokens))
            {
                best = i;
                bestNumerator = numerator;
                bestDenominator = denominator;
                bestTokens = tokens;
            }
        }

        return best;
    }

    /// <summary>The same choice as <see cref="UsageBased"/> with 128-bit products, for counts beyond 32 bits.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int UsageBasedWide(Deployment[] deployments, ReadOnlySpan<bool> excluded, long minute)
    {
        int best = -1;
        ulong bestNumerator = 0;
        ulong bestDenominator = 1;
        long bestTokens = long.MaxValue;
        for (int i = 0; i < deployments.Length; i++)
        {
            if (excluded[i])
            {
                continue;
            }

            Deployment d = deployments[i];
            d.Usage.Read(minute, out long requests, out long tokens);
            ulong numerator = 0;
            ulong denominator = 1;
            if (d.RpmLimit != 0)
            {
                numerator = (ulong)Math.Max(0, requests);
                denominator = d.RpmLimit;
            }

            if (d.TpmLimit != 0 && CompareProducts((ulong)Math.Max(0, tokens), denominator, numerator, d.TpmLimit) > 0)
            {
                numerator = (ulong)Math.Max(0, tokens);
                denominator = d.TpmLimit;
            }

            int order = best < 0 ? -1 : CompareProducts(numerator, bestDenominator, bestNumerator, denominator);
            if (order < 0 || (order == 0 && tokens < bestTokens))
            {
                best = i;
                bestNumerator = numerator;
                bestDenominator = denominator;
                bestTokens = tokens;
            }
        }

        return best;
    }

    /// <summary>Compares <paramref name="a"/> × <paramref name="b"/> with <paramref name="c"/> × <paramref name="d"/> exactly, in 128 bits.</summary>
    private static int CompareProducts(ulong a, ulong b, ulong c, ulong d)
    {
        ulong high1 = Math.BigMul(a, b, out ulong low1);
        ulong high2 = Math.BigMul(c, d, out ulong low2);
        return high1 != high2 ? high1.CompareTo(high2) : low1.CompareTo(low2);
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
