using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelGateway.Gateway;
using ModelGateway.Routing;

namespace ModelGateway.Cost;

/// <summary>
/// Cost tagging: prices every attempt that reported usage (usage × the deployment's price; a failed or abandoned attempt
/// that used tokens is charged too), keeps the request's total on its context (<see cref="GatewayRequestContext.CostUsd"/>
/// is <see langword="null"/> when any part is unpriced or the answer reported no usage) and records each call in the
/// <see cref="ISpendStore"/> under the request's user, team, feature, tags, alias, provider and deployment.
/// </summary>
internal sealed partial class CostObserver : AttemptObserver
{
    private readonly ModelPriceResolver _prices;
    private readonly ISpendStore _store;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<Deployment, DeploymentCost> _deployments = [];
    private readonly ConditionalWeakTable<Deployment, DeploymentCost>.CreateValueCallback _createDeploymentCost;

    public CostObserver(ModelPriceResolver prices, ISpendStore store, ILoggerFactory? loggerFactory = null)
    {
        _prices = prices;
        _store = store;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ModelGateway.Cost");
        _createDeploymentCost = CreateDeploymentCost;
    }

    public override void OnAttemptCompleted(GatewayRequestContext context, in AttemptInfo attempt, object? state, in AttemptOutcome outcome)
    {
        UsageDetails? usage = outcome.Usage;
        bool hasTokens = CostCalculator.HasTokens(usage);
        if (!hasTokens && !outcome.Succeeded)
        {
            return; // the attempt used nothing that is known: a failure before the provider counted anything
        }

        if (!_deployments.TryGetValue(attempt.Deployment, out DeploymentCost? deployment))
        {
            deployment = _deployments.GetValue(attempt.Deployment, _createDeploymentCost);
        }

        decimal? cost = hasTokens && deployment.Price is { } price ? CostCalculator.Compute(usage!, price) : null;
        long input = hasTokens ? Math.Max(usage!.InputTokenCount ?? 0, 0) : 0;
        long output = hasTokens ? Math.Max(usage!.OutputTokenCount ?? 0, 0) : 0;

        ref RequestSpend spend = ref context.Spend;
        spend.Add(cost, input, output);
        context.CostUsd = spend.CostUsd;

        var record = new SpendRecord
        {
            Timestamp = outcome.CompletedAt,
            CostUsd = cost,
            InputTokens = input,
            CachedInputTokens = hasTokens ? Math.Max(usage!.CachedInputTokenCount ?? 0, 0) : 0,
            OutputTokens = output,
            Answered = outcome.Succeeded,
            User = context.User ?? SpendKeys.Anonymous,
            Team = context.Team ?? SpendKeys.Anonymous,
            Feature = context.Feature ?? SpendKeys.Anonymous,
            Tags = context.Tags,
            Model = context.Group.Name,
            Provider = attempt.Deployment.Provider,
            Deployment = deployment.Key,
        };

        try
        {
            _store.Record(record);
        }
        catch (Exception exception)
        {
            // A spend store that fails must not fail the call that was already answered and paid for.
            LogRecordFailed(_logger, exception, deployment.Key);
        }
    }

    private DeploymentCost CreateDeploymentCost(Deployment deployment) =>
        new(_prices.Resolve(deployment.Provider, deployment.ProviderModel, deployment.Pricing), deployment.Provider + "/" + deployment.ProviderModel);

    [LoggerMessage(1, LogLevel.Error, "The spend store failed to record a call to {Deployment}; its cost is missing from spend reports.")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string deployment);

    /// <summary>A deployment's price and spend key, worked out once per deployment.</summary>
    private sealed class DeploymentCost(ModelPrice? price, string key)
    {
        public ModelPrice? Price { get; } = price;

        public string Key { get; } = key;
    }
}
