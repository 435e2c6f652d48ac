using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ModelGateway.Tests.Providers.Bedrock;

/// <summary>
/// Checks a received request's SigV4 signature the way AWS would: recomputes it from the request as it arrived (raw
/// target, signed headers, body) with the test's copy of the credentials. Written independently of the signer under test.
/// </summary>
internal sealed class AwsSignatureVerifier(string accessKeyId, string secretAccessKey, string region, string service, DateTimeOffset now)
{
    /// <summary>Returns null when the signature is valid, otherwise why not.</summary>
    public string? Verify(HttpContext context, byte[] body)
    {
        string authorization = context.Request.Headers.Authorization.ToString();
        const string prefix = "AWS4-HMAC-SHA256 ";
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal))
        {
            return "no SigV4 Authorization header";
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in authorization[prefix.Length..].Split(", "))
        {
            int equals = part.IndexOf('=');
            parts[part[..equals]] = part[(equals + 1)..];
        }

        string amzDate = context.Request.Headers["x-amz-date"].ToString();
        string expectedDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (amzDate != expectedDate)
        {
            return $"x-amz-date {amzDate} is not the clock's {expectedDate}";
        }

        string scope = $"{amzDate[..8]}/{region}/{service}/aws4_request";
        if (parts["Credential"] != $"{accessKeyId}/{scope}")
        {
            return $"credential {parts["Credential"]} does not match";
        }

        string[] signedHeaders = parts["SignedHeaders"].Split(';');
        foreach (string required in new[] { "host", "x-amz-date", "content-type" })
        {
            if (Array.IndexOf(signedHeaders, required) < 0)
            {
                return $"{required} is not signed";
            }
        }

        if (context.Request.Headers.ContainsKey("x-amz-security-token") && Array.IndexOf(signedHeaders, "x-amz-security-token") < 0)
        {
            return "x-amz-security-token is sent but not signed";
        }

        string rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        int question = rawTarget.IndexOf('?');
        string path = question < 0 ? rawTarget : rawTarget[..question];
        var canonical = new StringBuilder();
        canonical.Append(context.Request.Method).Append('\n');
        canonical.Append(EncodeAgain(path)).Append('\n');
        canonical.Append(question < 0 ? string.Empty : "(query not expected)").Append('\n');
        foreach (string name in signedHeaders)
        {
            string value = string.Join(',', context.Request.Headers[name].Select(v => string.Join(' ', (v ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(parts["SignedHeaders"]).Append('\n').Append(Hex(SHA256.HashData(body)));
        string stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (string step in new[] { amzDate[..8], region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }

        string expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return expected == parts["Signature"] ? null : "signature mismatch";
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    // Non-S3 services sign the path as it was sent, percent-encoded once more.
    private static string EncodeAgain(string path)
    {
        var builder = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(path))
        {
            char c = (char)b;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '/' ? c.ToString() : $"%{b:X2}");
        }

        return builder.ToString();
    }
}
