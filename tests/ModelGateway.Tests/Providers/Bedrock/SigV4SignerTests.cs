using System.Net.Http.Headers;
using ModelGateway.Providers.Bedrock;

namespace ModelGateway.Tests.Providers.Bedrock;

public sealed class SigV4SignerTests
{
    public static IEnumerable<object[]> Cases => SigV4TestCase.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void CanonicalRequest_MatchesTestSuite(string name)
    {
        SigV4TestCase testCase = SigV4TestCase.Load(name);

        string canonicalRequest = BuildCanonicalRequest(testCase);

        Assert.Equal(testCase.Expected("header-canonical-request.txt"), canonicalRequest);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StringToSign_MatchesTestSuite(string name)
    {
        SigV4TestCase testCase = SigV4TestCase.Load(name);

        string stringToSign = SigV4Signer.StringToSign(
            SigV4Signer.FormatAmzDate(testCase.Timestamp),
            SigV4Signer.CredentialScope(testCase.Timestamp, testCase.Region, testCase.Service),
            BuildCanonicalRequest(testCase));

        Assert.Equal(testCase.Expected("header-string-to-sign.txt"), stringToSign);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signature_MatchesTestSuite(string name)
    {
        SigV4TestCase testCase = SigV4TestCase.Load(name);
        string stringToSign = SigV4Signer.StringToSign(
            SigV4Signer.FormatAmzDate(testCase.Timestamp),
            SigV4Signer.CredentialScope(testCase.Timestamp, testCase.Region, testCase.Service),
            BuildCanonicalRequest(testCase));

        string signature = SigV4Signer.Signature(testCase.SecretAccessKey, testCase.Timestamp, testCase.Region, testCase.Service, stringToSign);

        Assert.Equal(testCase.Expected("header-signature.txt"), signature);
    }

    [Theory]
    [InlineData("get-vanilla")]
    [InlineData("get-vanilla-with-session-token")]
    public void Sign_HttpRequestMessage_ProducesTestSuiteAuthorization(string name)
    {
        SigV4TestCase testCase = SigV4TestCase.Load(name);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        var credentials = new AwsCredentials(testCase.AccessKeyId, testCase.SecretAccessKey, testCase.SessionToken);

        SigV4Signer.Sign(request, [], credentials, testCase.Region, testCase.Service, testCase.Timestamp);

        string expected = AuthorizationLine(testCase.Expected("header-signed-request.txt"));
        Assert.Equal(expected, request.Headers.Authorization!.ToString());
        Assert.Equal("20150830T123600Z", request.Headers.GetValues("x-amz-date").Single());
        Assert.Equal(testCase.SessionToken is not null, request.Headers.Contains("x-amz-security-token"));
    }

    [Fact]
    public void Sign_PathWithEncodedModelId_SignsThePathEncodedTwice()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2%3A1/converse")
        {
            Content = new ByteArrayContent("{}"u8.ToArray()),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        var time = new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
        string canonical = SigV4Signer.CanonicalRequest(
            "POST",
            "/model/anthropic.claude-v2%253A1/converse",
            string.Empty,
            "content-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\nx-amz-date:20150830T123600Z\n",
            "content-type;host;x-amz-date",
            SigV4Signer.HashHex("{}"u8));
        string expectedSignature = SigV4Signer.Signature(
            credentials.SecretAccessKey, time, "us-east-1", "bedrock", SigV4Signer.StringToSign("20150830T123600Z", "20150830/us-east-1/bedrock/aws4_request", canonical));

        SigV4Signer.Sign(request, "{}"u8, credentials, "us-east-1", "bedrock", time);

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature={expectedSignature}",
            request.Headers.Authorization!.ToString());
    }

    // What the suite's signer does for a case: add X-Amz-Date, the session token unless the case omits it, and
    // x-amz-content-sha256 when the case signs the body.
    private static string BuildCanonicalRequest(SigV4TestCase testCase)
    {
        var headers = new List<KeyValuePair<string, string>>(testCase.Headers)
        {
            new("X-Amz-Date", SigV4Signer.FormatAmzDate(testCase.Timestamp)),
        };
        if (testCase.SessionToken is { } token && !testCase.OmitSessionToken)
        {
            headers.Add(new("X-Amz-Security-Token", token));
        }

        string payloadHash = SigV4Signer.HashHex(testCase.Body);
        if (testCase.SignBody)
        {
            headers.Add(new("x-amz-content-sha256", payloadHash));
        }

        string canonicalHeaders = SigV4Signer.CanonicalHeaders(headers, out string signedHeaders);
        return SigV4Signer.CanonicalRequest(
            testCase.Method,
            SigV4Signer.CanonicalUri(testCase.RequestPath, testCase.Normalize),
            SigV4Signer.CanonicalQuery(testCase.Query),
            canonicalHeaders,
            signedHeaders,
            payloadHash);
    }

    private static string AuthorizationLine(string signedRequest)
    {
        foreach (string line in signedRequest.Split('\n'))
        {
            if (line.StartsWith("Authorization:", StringComparison.Ordinal))
            {
                return line["Authorization:".Length..];
            }
        }

        throw new InvalidOperationException("The signed request has no Authorization line.");
    }

}
