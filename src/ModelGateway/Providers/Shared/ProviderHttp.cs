using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace ModelGateway.Providers.Shared;

/// <summary>HTTP plumbing every provider shares: the client, status classification, Retry-After, excerpts and redaction.</summary>
internal static class ProviderHttp
{
    private const int ExcerptLength = 200;

    /// <summary>
    /// Creates the <see cref="HttpClient"/> for a provider from <see cref="IHttpClientFactory"/> (the gateway's named client,
    /// whose default HTTP logging is removed so that no <c>Authorization</c> header reaches a log). Timing is the router's
    /// job, so the client's own timeout is infinite unless the provider sets <see cref="ProviderOptions.Timeout"/>.
    /// </summary>
    public static HttpClient CreateClient(IServiceProvider services, ProviderOptions options)
    {
        var factory = services.GetRequiredService<IHttpClientFactory>();
        HttpClient client = factory.CreateClient(GatewayDefaults.HttpClientName);
        client.Timeout = options.Timeout ?? System.Threading.Timeout.InfiniteTimeSpan;
        return client;
    }

    /// <summary>Reads a setting from the options, or from an environment variable when the option is not set.</summary>
    public static string? OptionOrEnvironment(string? value, string environmentVariable) =>
        !string.IsNullOrEmpty(value) ? value : Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } env ? env : null;

    /// <summary>Classifies an HTTP failure status as <c>BEHAVIOR.md</c> says; the body may refine it afterwards.</summary>
    public static ProviderErrorKind KindFromStatus(int status) => status switch
    {
        408 => ProviderErrorKind.Timeout,
        429 => ProviderErrorKind.RateLimited,
        401 or 403 => ProviderErrorKind.Authentication,
        404 => ProviderErrorKind.NotFound,
        400 or 413 or 422 => ProviderErrorKind.BadRequest,
        >= 500 => ProviderErrorKind.Unavailable,
        _ => ProviderErrorKind.Unknown,
    };

    /// <summary>
    /// Reads how long the provider asked to wait: <c>retry-after-ms</c>, then <c>Retry-After</c> as seconds or an HTTP date.
    /// </summary>
    public static TimeSpan? ReadRetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        HttpResponseHeaders headers = response.Headers;
        if (TryGetFirst(headers, "retry-after-ms", out string? ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds)
            && milliseconds >= 0 && milliseconds < TimeSpan.MaxValue.TotalMilliseconds)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                TimeSpan wait = date - timeProvider.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }
        else if (TryGetFirst(headers, "retry-after", out string? raw)
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            // Fractional seconds ("1.5") are not valid HTTP but some servers send them.
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    /// <summary>Returns the first value of a header, if present.</summary>
    public static bool TryGetFirst(HttpHeaders headers, string name, out string? value)
    {
        if (headers.TryGetValues(name, out IEnumerable<string>? values))
        {
            foreach (string v in values)
            {
                value = v;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Makes a short, single-line, printable excerpt of a body for an error message.</summary>
    public static string Excerpt(ReadOnlySpan<byte> utf8Body)
    {
        if (utf8Body.IsEmpty)
        {
            return "(empty body)";
        }

        bool truncated = utf8Body.Length > ExcerptLength * 4;
        string text = Encoding.UTF8.GetString(truncated ? utf8Body[..(ExcerptLength * 4)] : utf8Body);
        return Excerpt(text, truncated);
    }

    /// <summary>Makes a short, single-line, printable excerpt of a text for an error message.</summary>
    public static string Excerpt(string text, bool truncated = false)
    {
        var builder = new StringBuilder(Math.Min(text.Length, ExcerptLength) + 3);
        foreach (char c in text)
        {
            if (builder.Length >= ExcerptLength)
            {
                truncated = true;
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        if (truncated)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    /// <summary>Removes the provider's configured secrets from a text that came back from the provider (some echo keys back).</summary>
    public static string Redact(string text, ProviderOptions options) =>
        Redact(text, options.ApiKey, options.AccessToken, options.SecretAccessKey, options.SessionToken);

    /// <summary>Removes each of <paramref name="secrets"/> from <paramref name="text"/>.</summary>
    public static string Redact(string text, params ReadOnlySpan<string?> secrets)
    {
        foreach (string? secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
