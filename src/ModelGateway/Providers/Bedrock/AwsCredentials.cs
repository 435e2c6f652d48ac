namespace ModelGateway;

/// <summary>
/// A set of AWS credentials used to sign Bedrock requests with Signature Version 4: an access key id, its secret and,
/// for temporary credentials, a session token.
/// </summary>
/// <remarks>
/// Return an instance from <see cref="ProviderOptions.AwsCredentialsProvider"/> to supply credentials from any source
/// (an assumed role, a web identity, an instance profile, a secret store). <see cref="ToString"/> never includes the
/// secret or the session token. Instances are immutable and thread-safe.
/// </remarks>
public sealed class AwsCredentials
{
    /// <summary>Initializes a new instance of the <see cref="AwsCredentials"/> class.</summary>
    /// <param name="accessKeyId">The access key id (<c>AKIA…</c> or, for temporary credentials, <c>ASIA…</c>).</param>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="sessionToken">The session token of temporary credentials, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="accessKeyId"/> or <paramref name="secretAccessKey"/> is null or empty.</exception>
    public AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
    }

    /// <summary>Gets the access key id.</summary>
    public string AccessKeyId { get; }

    /// <summary>Gets the secret access key.</summary>
    public string SecretAccessKey { get; }

    /// <summary>Gets the session token of temporary credentials, or <see langword="null"/> for long-term keys.</summary>
    public string? SessionToken { get; }

    /// <summary>Returns a description that names the kind of credentials but none of their values.</summary>
    /// <returns>A text safe to log.</returns>
    public override string ToString() => SessionToken is null ? "AwsCredentials (long-term)" : "AwsCredentials (temporary)";
}
