using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ModelGateway.Providers.Bedrock;

/// <summary>
/// AWS Signature Version 4 with the <c>Authorization</c> header (not pre-signed URLs), as the AWS signing test suite
/// defines it: canonical request, string to sign, derived signing key, signature.
/// </summary>
/// <remarks>
/// The canonical URI is the request path as it goes on the wire, percent-encoded once more (every service except S3
/// does this), so <c>/model/a%3A0/converse</c> is signed as <c>/model/a%253A0/converse</c>. The pieces are exposed
/// separately so that the published test vectors can check each of them.
/// </remarks>
internal static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DateHeader = "x-amz-date";
    public const string SecurityTokenHeader = "x-amz-security-token";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// Signs <paramref name="request"/> in place: sets <c>Host</c>, <c>x-amz-date</c>, <c>x-amz-security-token</c> (for
    /// temporary credentials) and <c>Authorization</c>. Signed are <c>host</c>, <c>content-type</c> and every <c>x-amz-*</c>
    /// header; other headers may change in transit without breaking the signature.
    /// </summary>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        Uri uri = request.RequestUri!;
        string host = uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        string amzDate = FormatAmzDate(now);
        request.Headers.Host = host;
        request.Headers.Remove(DateHeader);
        request.Headers.TryAddWithoutValidation(DateHeader, amzDate);
        request.Headers.Remove(SecurityTokenHeader);
        if (credentials.SessionToken is { } token)
        {
            request.Headers.TryAddWithoutValidation(SecurityTokenHeader, token);
        }

        var headers = new List<KeyValuePair<string, string>>(6) { new("host", host) };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }

        foreach (KeyValuePair<string, HeaderStringValues> header in request.Headers.NonValidated)
        {
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                foreach (string value in header.Value)
                {
                    headers.Add(new(header.Key, value));
                }
            }
        }

        string canonicalHeaders = CanonicalHeaders(headers, out string signedHeaders);
        string canonicalRequest = CanonicalRequest(
            request.Method.Method,
            CanonicalUri(uri.AbsolutePath, normalize: true),
            CanonicalQuery(uri.Query),
            canonicalHeaders,
            signedHeaders,
            HashHex(body));
        string scope = CredentialScope(now, region, service);
        string stringToSign = StringToSign(amzDate, scope, canonicalRequest);
        string signature = Signature(credentials.SecretAccessKey, now, region, service, stringToSign);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            Algorithm,
            $"Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>Formats the signing time as <c>yyyyMMddTHHmmssZ</c> in UTC.</summary>
    public static string FormatAmzDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns <c>date/region/service/aws4_request</c>.</summary>
    public static string CredentialScope(DateTimeOffset time, string region, string service) =>
        time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "/" + region + "/" + service + "/aws4_request";

    /// <summary>
    /// Builds the canonical URI from the path as sent: optionally removes <c>.</c> and <c>..</c> segments and empty
    /// segments, then percent-encodes every byte of its UTF-8 form except the unreserved characters and <c>/</c>.
    /// </summary>
    public static string CanonicalUri(string path, bool normalize)
    {
        if (path.Length == 0)
        {
            return "/";
        }

        if (normalize)
        {
            path = NormalizePath(path);
        }

        return UriEncode(path, encodeSlash: false);
    }

    /// <summary>
    /// Builds the canonical query: each parameter decoded and encoded again the AWS way, sorted by name and then value.
    /// </summary>
    public static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return string.Empty;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string part in query.TrimStart('?').Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            int equals = part.IndexOf('=');
            string name = equals < 0 ? part : part[..equals];
            string value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add(new(UriEncode(Uri.UnescapeDataString(name), encodeSlash: true), UriEncode(Uri.UnescapeDataString(value), encodeSlash: true)));
        }

        pairs.Sort(static (a, b) =>
        {
            int byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        var builder = new StringBuilder();
        foreach (KeyValuePair<string, string> pair in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(pair.Key).Append('=').Append(pair.Value);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Builds the canonical headers block (lower-case names in ordinal order, values trimmed with inner runs of
    /// whitespace folded to one space, repeated headers joined with commas in the order given) and the signed-headers list.
    /// </summary>
    public static string CanonicalHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, out string signedHeaders)
    {
        var byName = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> header in headers)
        {
            string name = header.Key.Trim().ToLowerInvariant();
            string value = FoldWhitespace(header.Value);
            if (byName.TryGetValue(name, out StringBuilder? existing))
            {
                existing.Append(',').Append(value);
            }
            else
            {
                byName.Add(name, new StringBuilder(value));
            }
        }

        var canonical = new StringBuilder();
        var signed = new StringBuilder();
        foreach (KeyValuePair<string, StringBuilder> entry in byName)
        {
            canonical.Append(entry.Key).Append(':').Append(entry.Value).Append('\n');
            if (signed.Length > 0)
            {
                signed.Append(';');
            }

            signed.Append(entry.Key);
        }

        signedHeaders = signed.ToString();
        return canonical.ToString();
    }

    /// <summary>Joins the canonical request: method, URI, query, headers block, signed headers and payload hash.</summary>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, string canonicalHeaders, string signedHeaders, string payloadHash) =>
        method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;

    /// <summary>Builds the string to sign from the canonical request.</summary>
    public static string StringToSign(string amzDate, string credentialScope, string canonicalRequest) =>
        Algorithm + "\n" + amzDate + "\n" + credentialScope + "\n" + HashHex(Encoding.UTF8.GetBytes(canonicalRequest));

    /// <summary>Derives the signing key for the day, region and service and signs <paramref name="stringToSign"/> with it.</summary>
    public static string Signature(string secretAccessKey, DateTimeOffset time, string region, string service, string stringToSign)
    {
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        try
        {
            byte[] dateKey = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
            byte[] regionKey = HMACSHA256.HashData(dateKey, Encoding.UTF8.GetBytes(region));
            byte[] serviceKey = HMACSHA256.HashData(regionKey, Encoding.UTF8.GetBytes(service));
            byte[] signingKey = HMACSHA256.HashData(serviceKey, "aws4_request"u8);
            return ToHexLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Returns the lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string HashHex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return ToHexLower(hash);
    }

    /// <summary>Percent-encodes the UTF-8 bytes of <paramref name="value"/> except <c>A-Z a-z 0-9 - _ . ~</c> (and <c>/</c> unless told).</summary>
    public static string UriEncode(string value, bool encodeSlash)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3 / 2);
        foreach (byte b in bytes)
        {
            if (IsUnreserved(b) || (b == (byte)'/' && !encodeSlash))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    private const string HexUpper = "0123456789ABCDEF";
    private const string HexLower = "0123456789abcdef";

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    private static string ToHexLower(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = HexLower[bytes[i] >> 4];
            chars[(2 * i) + 1] = HexLower[bytes[i] & 0xF];
        }

        return new string(chars);
    }

    // RFC 3986 dot-segment removal plus collapsing of empty segments, keeping a trailing slash.
    private static string NormalizePath(string path)
    {
        string[] parts = path.Split('/');
        var segments = new List<string>(parts.Length);
        bool trailingSlash = false;
        foreach (string part in parts)
        {
            trailingSlash = false;
            switch (part)
            {
                case "":
                    trailingSlash = true;
                    break;
                case ".":
                    trailingSlash = true;
                    break;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    trailingSlash = true;
                    break;
                default:
                    segments.Add(part);
                    break;
            }
        }

        if (segments.Count == 0)
        {
            return "/";
        }

        string joined = "/" + string.Join('/', segments);
        return trailingSlash ? joined + "/" : joined;
    }

    private static string FoldWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        bool pendingSpace = false;
        foreach (char c in value)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
