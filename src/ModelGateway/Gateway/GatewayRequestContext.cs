using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelGateway.Routing;
using ModelGateway.Telemetry;

namespace ModelGateway.Gateway;

/// <summary>
/// The state of one gateway request, created by the entry and handed down the pipeline with the request's own copy of
/// <see cref="ChatOptions"/> (a <see cref="GatewayChatOptions"/>; or, when the caller passed its own options subclass,
/// under an internal key in its properties), never reaching a provider. Middleware
/// read the request metadata from it and add what they learn (attempts, cache hit, cost); the entry turns it into the
/// <see cref="GatewayResponseInfo"/>. One request uses it from one logical flow at a time.
/// </summary>
internal sealed class GatewayRequestContext
{
    private const long NotSet = long.MinValue;

    private GatewayAttempt[]? _firstAttempt;
    private List<GatewayAttempt>? _attempts;
    private Cost.RequestSpend _spend;

    // Two times kept as ticks (8 bytes each, not 16 and 24 as nullables): one context is allocated per request.
    private long _latencyTicks = NotSet;
    private long _answeredAtUtcTicks = NotSet;

    public GatewayRequestContext(ModelGroup group, long startTimestamp, bool isStreaming)
    {
        Group = group;
        StartTimestamp = startTimestamp;
        IsStreaming = isStreaming;
    }

    /// <summary>Gets or sets the group (alias, or a direct <c>provider/model</c>) that serves the request, after routes.</summary>
    public ModelGroup Group { get; set; }

    public long StartTimestamp { get; }

    public bool IsStreaming { get; }

    public string? User { get; set; }

    public string? Team { get; set; }

    public string? Feature { get; set; }

    public string[]? Tags { get; set; }

    public CacheMode CacheMode { get; set; }

    /// <summary>Gets or sets the per-request cache lifetime (<see cref="GatewayPropertyNames.CacheTtl"/>), or <see langword="null"/> for the configured one.</summary>
    public TimeSpan? CacheTtl { get; set; }

    /// <summary>Gets the attempts made so far, in order.</summary>
    public IReadOnlyList<GatewayAttempt> Attempts => (IReadOnlyList<GatewayAttempt>?)_attempts ?? _firstAttempt ?? [];

    /// <summary>Gets or sets the alias whose deployment answered (differs from <see cref="Group"/> after a fallback).</summary>
    public string? AnsweredModel { get; set; }

    /// <summary>Gets or sets the call's latency as the telemetry stage measured it (the outermost stage), which the entry reports too.</summary>
    public TimeSpan? Latency
    {
        get => _latencyTicks == NotSet ? null : new TimeSpan(_latencyTicks);
        set => _latencyTicks = value?.Ticks ?? NotSet;
    }

    /// <summary>Gets or sets when the answer arrived (the router's read of the gateway's clock as the attempt succeeded).</summary>
    public DateTimeOffset? AnsweredAt
    {
        get => _answeredAtUtcTicks == NotSet ? null : new DateTimeOffset(_answeredAtUtcTicks, TimeSpan.Zero);
        set => _answeredAtUtcTicks = value?.UtcTicks ?? NotSet;
    }

    public string? Provider { get; set; }

    public string? ProviderModel { get; set; }

    public bool CacheHit { get; set; }

    public decimal? CostUsd { get; set; }

    /// <summary>Gets what the request's attempts cost and used so far (kept by cost tagging; read by budgets and rate limits),
    /// by reference: all zero until an attempt is charged.</summary>
    public ref Cost.RequestSpend Spend => ref _spend;

    public bool Degraded { get; set; }

    /// <summary>Gets or sets what the telemetry stage and attempt observer share about this call; set only while someone listens.</summary>
    public CallTelemetry? Telemetry { get; set; }

    public void AddAttempt(GatewayAttempt attempt)
    {
        // Most requests make one attempt: an array of one is the list until a second arrives.
        if (_attempts is not null)
        {
            _attempts.Add(attempt);
        }
        else if (_firstAttempt is null)
        {
            _firstAttempt = [attempt];
        }
        else
        {
            _attempts = new List<GatewayAttempt>(4) { _firstAttempt[0], attempt };
        }
    }

    /// <summary>Finds the context in a request's options, or <see langword="null"/> when the options did not come from the entry.</summary>
    public static GatewayRequestContext? Get(ChatOptions? options) => options switch
    {
        GatewayChatOptions gateway => gateway.Context,
        { AdditionalProperties: { } properties } when properties.TryGetValue(GatewayPropertyNames.Context, out object? value) => value as GatewayRequestContext,
        _ => null,
    };

    /// <summary>
    /// Moves the gateway's metadata keys out of <paramref name="properties"/> into this context. Values may be what the
    /// <see cref="GatewayChatOptionsExtensions"/> store, or JSON elements when options were deserialized.
    /// </summary>
    /// <exception cref="ArgumentException">A metadata value has the wrong type.</exception>
    public void TakeMetadata(AdditionalPropertiesDictionary properties)
    {
        List<string>? remove = null;
        foreach (KeyValuePair<string, object?> pair in properties)
        {
            if (!GatewayPropertyNames.IsGatewayKey(pair.Key))
            {
                continue;
            }

            (remove ??= []).Add(pair.Key);
            switch (pair.Key)
            {
                case GatewayPropertyNames.User:
                    User = ReadString(pair.Key, pair.Value);
                    break;
                case GatewayPropertyNames.Team:
                    Team = ReadString(pair.Key, pair.Value);
                    break;
                case GatewayPropertyNames.Feature:
                    Feature = ReadString(pair.Key, pair.Value);
                    break;
                case GatewayPropertyNames.Tags:
                    Tags = ReadTags(pair.Value);
                    break;
                case GatewayPropertyNames.CacheMode:
                    CacheMode = ReadCacheMode(pair.Value);
                    break;
                case GatewayPropertyNames.CacheTtl:
                    CacheTtl = ReadCacheTtl(pair.Value);
                    break;
            }
        }

        if (remove is not null)
        {
            foreach (string key in remove)
            {
                properties.Remove(key);
            }
        }
    }

    private static string? ReadString(string key, object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => throw new ArgumentException($"ChatOptions.AdditionalProperties['{key}'] must be a string, not {value.GetType().Name}."),
    };

    private static string[]? ReadTags(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string single:
                return single.Length == 0 ? null : [single];
            case string[] array:
                return array.Length == 0 ? null : array;
            case JsonElement { ValueKind: JsonValueKind.Array } element:
                var list = new List<string>(element.GetArrayLength());
                foreach (JsonElement item in element.EnumerateArray())
                {
                    list.Add(item.ValueKind == JsonValueKind.String
                        ? item.GetString()!
                        : throw new ArgumentException($"ChatOptions.AdditionalProperties['{GatewayPropertyNames.Tags}'] must hold strings only."));
                }

                return list.Count == 0 ? null : [.. list];
            case IEnumerable<string> strings:
                string[] tags = [.. strings];
                return tags.Length == 0 ? null : tags;
            default:
                throw new ArgumentException($"ChatOptions.AdditionalProperties['{GatewayPropertyNames.Tags}'] must be a string array, not {value.GetType().Name}.");
        }
    }

    private static CacheMode ReadCacheMode(object? value) => value switch
    {
        null => CacheMode.Default,
        CacheMode mode when Enum.IsDefined(mode) => mode,
        string s when Enum.TryParse(s, ignoreCase: true, out CacheMode parsed) && Enum.IsDefined(parsed) => parsed,
        JsonElement { ValueKind: JsonValueKind.String } e when Enum.TryParse(e.GetString(), ignoreCase: true, out CacheMode parsed) && Enum.IsDefined(parsed) => parsed,
        _ => throw new ArgumentException($"ChatOptions.AdditionalProperties['{GatewayPropertyNames.CacheMode}'] must be a CacheMode (Default, Bypass, Refresh or NoStore), not '{value}'."),
    };

    private static TimeSpan? ReadCacheTtl(object? value)
    {
        TimeSpan? ttl = value switch
        {
            null => null,
            TimeSpan t => t,
            string s when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out TimeSpan parsed) => parsed,
            JsonElement { ValueKind: JsonValueKind.String } e when TimeSpan.TryParse(e.GetString(), CultureInfo.InvariantCulture, out TimeSpan parsed) => parsed,
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            _ => throw new ArgumentException($"ChatOptions.AdditionalProperties['{GatewayPropertyNames.CacheTtl}'] must be a TimeSpan, not '{value}'."),
        };

        return ttl is { } positive && positive <= TimeSpan.Zero
            ? throw new ArgumentException($"ChatOptions.AdditionalProperties['{GatewayPropertyNames.CacheTtl}'] must be positive, not {positive}.")
            : ttl;
    }
}
