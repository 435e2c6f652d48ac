using Microsoft.Extensions.AI;

namespace ModelGateway;

/// <summary>
/// Sets per-request gateway metadata on <see cref="ChatOptions"/>. Each method stores its value in
/// <see cref="ChatOptions.AdditionalProperties"/> under a <see cref="GatewayPropertyNames"/> key and returns the same
/// instance, so calls chain. The gateway removes these keys before a provider sees the options.
/// </summary>
public static class GatewayChatOptionsExtensions
{
    /// <summary>Sets the end user the request is made for.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="userId">The user's id; <see langword="null"/> removes it.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static ChatOptions WithUser(this ChatOptions options, string? userId) => Set(options, GatewayPropertyNames.User, userId);

    /// <summary>Sets the application feature the request belongs to.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="feature">The feature's name; <see langword="null"/> removes it.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static ChatOptions WithFeature(this ChatOptions options, string? feature) => Set(options, GatewayPropertyNames.Feature, feature);

    /// <summary>Sets the team the request is charged to.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="team">The team's name; <see langword="null"/> removes it.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static ChatOptions WithTeam(this ChatOptions options, string? team) => Set(options, GatewayPropertyNames.Team, team);

    /// <summary>Sets the request's tags, replacing any set before.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="tags">The tags; none removes them.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="tags"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A tag is <see langword="null"/> or empty.</exception>
    public static ChatOptions WithTags(this ChatOptions options, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tags);
        foreach (string tag in tags)
        {
            if (string.IsNullOrEmpty(tag))
            {
                throw new ArgumentException("A tag must not be null or empty.", nameof(tags));
            }
        }

        return Set(options, GatewayPropertyNames.Tags, tags.Length == 0 ? null : (string[])tags.Clone());
    }

    /// <summary>Sets how the response cache treats the request.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="mode">The cache mode.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static ChatOptions WithCacheMode(this ChatOptions options, CacheMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown cache mode.");
        }

        return Set(options, GatewayPropertyNames.CacheMode, mode);
    }

    /// <summary>Sets how long the response cache keeps this request's answer, overriding the configured <c>Cache:Ttl</c>.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="ttl">How long the entry lives; must be positive.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    /// <remarks>Only affects what is stored: an entry already in the cache keeps the lifetime it was stored with.</remarks>
    public static ChatOptions WithCacheTtl(this ChatOptions options, TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return Set(options, GatewayPropertyNames.CacheTtl, ttl);
    }

    private static ChatOptions Set(ChatOptions options, string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (value is null)
        {
            options.AdditionalProperties?.Remove(key);
        }
        else
        {
            (options.AdditionalProperties ??= [])[key] = value;
        }

        return options;
    }
}
