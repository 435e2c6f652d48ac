using Microsoft.Extensions.Options;
using ModelGateway.Providers;

namespace ModelGateway.Configuration;

/// <summary>
/// Checks the whole configuration at start-up. Every message names the offending key as a configuration path
/// (<c>ModelGateway:Models:chat:Deployments:0:Provider 'azur' is not a configured provider</c>), so the fix is obvious.
/// </summary>
internal sealed class ModelGatewayOptionsValidator : IValidateOptions<ModelGatewayOptions>
{
    private const string Root = GatewayDefaults.SectionName;
    private readonly ProviderTypeRegistry _registry;

    public ModelGatewayOptionsValidator(ProviderTypeRegistry registry)
    {
        _registry = registry;
    }

    public ValidateOptionsResult Validate(string? name, ModelGatewayOptions options)
    {
        var errors = new List<string>();
        ValidateProviders(options, errors);
        ValidateModels(options, errors);
        ValidateResilience(options.Resilience, errors);
        if (options.Cache.Ttl <= TimeSpan.Zero)
        {
            errors.Add($"{Root}:Cache:Ttl must be positive, not {options.Cache.Ttl}.");
        }

        Defined(options.Cache.Scope, $"{Root}:Cache:Scope", errors);
        foreach ((string model, ModelPrice price) in options.Pricing)
        {
            ValidatePrice(price, $"{Root}:Pricing:{model}", errors);
        }

        ValidateBudgets(options, errors);
        ValidateRateLimits(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void ValidateProviders(ModelGatewayOptions options, List<string> errors)
    {
        if (options.Providers.Count == 0)
        {
            errors.Add($"{Root}:Providers must configure at least one provider (is the '{Root}' section missing?).");
        }

        foreach ((string name, ProviderOptions provider) in options.Providers)
        {
            string path = $"{Root}:Providers:{name}";
            if (provider is null)
            {
                errors.Add($"{path} is empty.");
                continue;
            }

            if (name.Contains('/', StringComparison.Ordinal))
            {
                errors.Add($"{path}: a provider name must not contain '/', which separates provider and model in 'provider/model'.");
            }

            if (string.IsNullOrWhiteSpace(provider.Type))
            {
                errors.Add($"{path}:Type is required (one of: {string.Join(", ", _registry.Types.Order(StringComparer.Ordinal))}).");
            }
            else if (!_registry.Contains(provider.Type))
            {
                errors.Add($"{path}:Type '{provider.Type}' is not a known provider type (known: {string.Join(", ", _registry.Types.Order(StringComparer.Ordinal))}).");
            }

            AbsoluteHttpUri(provider.BaseUrl, $"{path}:BaseUrl", errors);
            AbsoluteHttpUri(provider.Endpoint, $"{path}:Endpoint", errors);
            if (provider.Timeout is { } timeout && timeout <= TimeSpan.Zero)
            {
                errors.Add($"{path}:Timeout must be positive, not {timeout}.");
            }

            if (provider.Latency is { } latency && latency < TimeSpan.Zero)
            {
                errors.Add($"{path}:Latency must not be negative, not {latency}.");
            }

            if (double.IsNaN(provider.FailureRate) || provider.FailureRate < 0 || provider.FailureRate > 1)
            {
                errors.Add($"{path}:FailureRate must be between 0 and 1, not {provider.FailureRate}.");
            }

            if (provider.Usage.InputTokens < 0 || provider.Usage.OutputTokens < 0)
            {
                errors.Add($"{path}:Usage token counts must not be negative.");
            }

            if (provider.MaxTokensParameter is { } parameter && parameter is not ("max_tokens" or "max_completion_tokens"))
            {
                errors.Add($"{path}:MaxTokensParameter must be 'max_completion_tokens' or 'max_tokens', not '{parameter}'.");
            }

            foreach ((string header, string value) in provider.Headers)
            {
                if (string.IsNullOrWhiteSpace(header) || value is null)
                {
                    errors.Add($"{path}:Headers:{header} must have a name and a value.");
                }
            }
        }
    }

    private static void ValidateModels(ModelGatewayOptions options, List<string> errors)
    {
        if (options.DefaultModel is { } defaultModel && !options.Models.ContainsKey(defaultModel))
        {
            errors.Add($"{Root}:DefaultModel '{defaultModel}' is not a configured model (configured: {Known(options.Models.Keys)}).");
        }

        foreach ((string alias, ModelGroupOptions group) in options.Models)
        {
            string path = $"{Root}:Models:{alias}";
            if (group is null)
            {
                errors.Add($"{path} is empty.");
                continue;
            }

            if (options.Providers.ContainsKey(alias.Split('/')[0]) && alias.Contains('/', StringComparison.Ordinal))
            {
                errors.Add($"{path}: the alias looks like a direct 'provider/model' address; choose a name without '/'.");
            }

            Defined(group.Routing, $"{path}:Routing", errors);
            if (group.Deployments.Count == 0)
            {
                errors.Add($"{path}:Deployments must list at least one deployment.");
            }

            bool anyPositiveWeight = false;
            for (int i = 0; i < group.Deployments.Count; i++)
            {
                DeploymentOptions deployment = group.Deployments[i];
                string dpath = $"{path}:Deployments:{i}";
                if (string.IsNullOrWhiteSpace(deployment.Provider))
                {
                    errors.Add($"{dpath}:Provider is required.");
                }
                else if (!options.Providers.ContainsKey(deployment.Provider))
                {
                    errors.Add($"{dpath}:Provider '{deployment.Provider}' is not a configured provider (configured: {Known(options.Providers.Keys)}).");
                }

                if (string.IsNullOrWhiteSpace(deployment.Model))
                {
                    errors.Add($"{dpath}:Model is required.");
                }

                if (double.IsNaN(deployment.Weight) || double.IsInfinity(deployment.Weight) || deployment.Weight < 0)
                {
                    errors.Add($"{dpath}:Weight must be zero or positive, not {deployment.Weight}.");
                }
                else if (deployment.Weight > 0)
                {
                    anyPositiveWeight = true;
                }

                Positive(deployment.Rpm, $"{dpath}:Rpm", errors);
                Positive(deployment.Tpm, $"{dpath}:Tpm", errors);
                Positive(deployment.MaxInputTokens, $"{dpath}:MaxInputTokens", errors);
                if (deployment.Pricing is { } price)
                {
                    ValidatePrice(price, $"{dpath}:Pricing", errors);
                }
            }

            if (group.Deployments.Count > 0 && !anyPositiveWeight && group.Routing == RoutingStrategy.Weighted)
            {
                errors.Add($"{path}:Deployments: every Weight is 0; at least one must be positive for Weighted routing.");
            }

            ValidateAliasList(options, alias, group.Fallbacks, $"{path}:Fallbacks", errors);
            ValidateAliasList(options, alias, group.ContextWindowFallbacks, $"{path}:ContextWindowFallbacks", errors);
            ValidateAliasList(options, alias, group.ContentPolicyFallbacks, $"{path}:ContentPolicyFallbacks", errors);

            for (int i = 0; i < group.Routes.Count; i++)
            {
                RouteOptions route = group.Routes[i];
                string rpath = $"{path}:Routes:{i}";
                if (string.IsNullOrWhiteSpace(route.Model))
                {
                    errors.Add($"{rpath}:Model is required.");
                }
                else if (!options.Models.ContainsKey(route.Model))
                {
                    errors.Add($"{rpath}:Model '{route.Model}' is not a configured model (configured: {Known(options.Models.Keys)}).");
                }
                else if (string.Equals(route.Model, alias, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{rpath}:Model '{route.Model}' routes the alias to itself.");
                }

                Positive(route.When.MinInputTokens, $"{rpath}:When:MinInputTokens", errors);
            }
        }

        ReportCycles(options, errors, "Fallbacks", static g => [.. g.Fallbacks, .. g.ContextWindowFallbacks, .. g.ContentPolicyFallbacks]);
        ReportCycles(options, errors, "Routes", static g => [.. g.Routes.Select(r => r.Model!).Where(m => m is not null)]);
    }

    private static void ValidateAliasList(ModelGatewayOptions options, string alias, IList<string> aliases, string path, List<string> errors)
    {
        for (int i = 0; i < aliases.Count; i++)
        {
            string target = aliases[i];
            if (string.IsNullOrWhiteSpace(target))
            {
                errors.Add($"{path}:{i} is empty.");
            }
            else if (!options.Models.ContainsKey(target))
            {
                errors.Add($"{path}:{i} '{target}' is not a configured model (configured: {Known(options.Models.Keys)}).");
            }
            else if (string.Equals(target, alias, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:{i} '{target}' falls back to the alias itself.");
            }
        }
    }

    /// <summary>Finds cycles longer than one alias in the graph <paramref name="edges"/> describes, and names each once.</summary>
    private static void ReportCycles(ModelGatewayOptions options, List<string> errors, string key, Func<ModelGroupOptions, string[]> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase); // 1 = on the path, 2 = done
        var path = new List<string>();
        foreach (string alias in options.Models.Keys)
        {
            Visit(alias);
        }

        void Visit(string alias)
        {
            if (state.TryGetValue(alias, out int s) || !options.Models.TryGetValue(alias, out ModelGroupOptions? group) || group is null)
            {
                return;
            }

            state[alias] = 1;
            path.Add(alias);
            foreach (string next in edges(group))
            {
                if (string.Equals(next, alias, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // reported as "falls back to itself"
                }

                if (state.TryGetValue(next, out int ns) && ns == 1)
                {
                    int from = path.FindIndex(p => string.Equals(p, next, StringComparison.OrdinalIgnoreCase));
                    errors.Add($"{Root}:Models:{alias}:{key} forms a cycle: {string.Join(" → ", path.Skip(from))} → {next}.");
                }
                else
                {
                    Visit(next);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[alias] = 2;
        }
    }

    private static void ValidateResilience(ResilienceOptions r, List<string> errors)
    {
        string path = $"{Root}:Resilience";
        if (r.MaxRetries < 0)
        {
            errors.Add($"{path}:MaxRetries must be zero or positive, not {r.MaxRetries}.");
        }

        PositiveTime(r.AttemptTimeout, $"{path}:AttemptTimeout", errors);
        PositiveTime(r.TotalTimeout, $"{path}:TotalTimeout", errors);
        PositiveTime(r.FirstTokenTimeout, $"{path}:FirstTokenTimeout", errors);
        PositiveTime(r.StreamIdleTimeout, $"{path}:StreamIdleTimeout", errors);
        if (r.BaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{path}:BaseDelay must not be negative, not {r.BaseDelay}.");
        }

        if (r.MaxDelay < r.BaseDelay)
        {
            errors.Add($"{path}:MaxDelay ({r.MaxDelay}) must not be shorter than BaseDelay ({r.BaseDelay}).");
        }

        if (r.MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add($"{path}:MaxRetryAfter must not be negative, not {r.MaxRetryAfter}.");
        }

        if (r.Cooldown.FailureThreshold < 1)
        {
            errors.Add($"{path}:Cooldown:FailureThreshold must be at least 1, not {r.Cooldown.FailureThreshold}.");
        }

        PositiveTime(r.Cooldown.SamplingWindow, $"{path}:Cooldown:SamplingWindow", errors);
        PositiveTime(r.Cooldown.Duration, $"{path}:Cooldown:Duration", errors);
    }

    private static void ValidateBudgets(ModelGatewayOptions options, List<string> errors)
    {
        for (int i = 0; i < options.Budgets.Count; i++)
        {
            BudgetOptions budget = options.Budgets[i];
            string path = $"{Root}:Budgets:{i}";
            Defined(budget.Scope, $"{path}:Scope", errors);
            Defined(budget.Period, $"{path}:Period", errors);
            if (budget.LimitUsd < 0)
            {
                errors.Add($"{path}:LimitUsd must not be negative, not {budget.LimitUsd}.");
            }

            ScopeKey(budget.Scope, budget.Key, path, errors);
        }
    }

    private static void ValidateRateLimits(ModelGatewayOptions options, List<string> errors)
    {
        for (int i = 0; i < options.RateLimits.Count; i++)
        {
            RateLimitOptions limit = options.RateLimits[i];
            string path = $"{Root}:RateLimits:{i}";
            Defined(limit.Scope, $"{path}:Scope", errors);
            if (limit.RequestsPerMinute is null && limit.TokensPerMinute is null)
            {
                errors.Add($"{path} must set RequestsPerMinute, TokensPerMinute or both.");
            }

            Positive(limit.RequestsPerMinute, $"{path}:RequestsPerMinute", errors);
            Positive(limit.TokensPerMinute, $"{path}:TokensPerMinute", errors);
            ScopeKey(limit.Scope, limit.Key, path, errors);
        }
    }

    private static void ScopeKey(LimitScope scope, string? key, string path, List<string> errors)
    {
        if (scope != LimitScope.Global && string.IsNullOrWhiteSpace(key))
        {
            errors.Add($"{path}:Key is required for Scope {scope} (a value, or '*' for each one separately).");
        }
    }

    private static void ValidatePrice(ModelPrice price, string path, List<string> errors)
    {
        NotNegative(price.InputPerMillion, $"{path}:InputPerMillion", errors);
        NotNegative(price.OutputPerMillion, $"{path}:OutputPerMillion", errors);
        NotNegative(price.CachedInputPerMillion, $"{path}:CachedInputPerMillion", errors);
        NotNegative(price.CacheWritePerMillion, $"{path}:CacheWritePerMillion", errors);
    }

    private static void NotNegative(decimal? value, string path, List<string> errors)
    {
        if (value < 0)
        {
            errors.Add($"{path} must not be negative, not {value}.");
        }
    }

    private static void Positive(int? value, string path, List<string> errors)
    {
        if (value <= 0)
        {
            errors.Add($"{path} must be positive, not {value}.");
        }
    }

    private static void PositiveTime(TimeSpan value, string path, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{path} must be positive, not {value}.");
        }
    }

    private static void Defined<TEnum>(TEnum value, string path, List<string> errors)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add($"{path} '{value}' is not one of: {string.Join(", ", Enum.GetNames<TEnum>())}.");
        }
    }

    private static void AbsoluteHttpUri(string? value, string path, List<string> errors)
    {
        if (value is null)
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            // The value itself is not echoed: a URL may carry credentials in its user info or query.
            errors.Add($"{path} is not an absolute http or https URL.");
        }
    }

    private static string Known(IEnumerable<string> names)
    {
        string joined = string.Join(", ", names);
        return joined.Length == 0 ? "(none)" : joined;
    }
}
