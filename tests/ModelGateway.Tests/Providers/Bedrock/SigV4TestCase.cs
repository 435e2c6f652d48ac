using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelGateway.Tests.Providers.Bedrock;

/// <summary>One case of the aws-c-auth SigV4 test suite, read from <c>TestData/sigv4/v4/&lt;name&gt;</c>.</summary>
internal sealed class SigV4TestCase
{
    private SigV4TestCase(string directory)
    {
        Directory = directory;
    }

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Providers", "Bedrock", "TestData", "sigv4", "v4");

    public string Directory { get; }

    public string Method { get; private set; } = string.Empty;

    public string RequestPath { get; private set; } = string.Empty;

    public string Query { get; private set; } = string.Empty;

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public byte[] Body { get; private set; } = [];

    public string AccessKeyId { get; private set; } = string.Empty;

    public string SecretAccessKey { get; private set; } = string.Empty;

    public string? SessionToken { get; private set; }

    public string Region { get; private set; } = string.Empty;

    public string Service { get; private set; } = string.Empty;

    public DateTimeOffset Timestamp { get; private set; }

    public bool Normalize { get; private set; }

    public bool SignBody { get; private set; }

    public bool OmitSessionToken { get; private set; }

    public static IEnumerable<object[]> Names()
    {
        foreach (string directory in System.IO.Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            yield return [Path.GetFileName(directory)];
        }
    }

    public static SigV4TestCase Load(string name)
    {
        var testCase = new SigV4TestCase(Path.Combine(Root, name));
        testCase.ReadContext();
        testCase.ReadRequest();
        return testCase;
    }

    public string Expected(string file) => File.ReadAllText(Path.Combine(Directory, file)).TrimEnd('\n');

    private void ReadContext()
    {
        using JsonDocument context = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "context.json")));
        JsonElement root = context.RootElement;
        JsonElement credentials = root.GetProperty("credentials");
        AccessKeyId = credentials.GetProperty("access_key_id").GetString()!;
        SecretAccessKey = credentials.GetProperty("secret_access_key").GetString()!;
        SessionToken = credentials.TryGetProperty("token", out JsonElement token) ? token.GetString() : null;
        Region = root.GetProperty("region").GetString()!;
        Service = root.GetProperty("service").GetString()!;
        Timestamp = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);
        Normalize = root.GetProperty("normalize").GetBoolean();
        SignBody = root.GetProperty("sign_body").GetBoolean();
        OmitSessionToken = root.TryGetProperty("omit_session_token", out JsonElement omit) && omit.GetBoolean();
    }

    // request.txt is an HTTP/1.1 message: request line, headers (continuation lines start with whitespace), blank line, body.
    private void ReadRequest()
    {
        string text = File.ReadAllText(Path.Combine(Directory, "request.txt"), Encoding.UTF8);
        int bodyStart = text.IndexOf("\n\n", StringComparison.Ordinal);
        string head = bodyStart < 0 ? text : text[..bodyStart];
        Body = bodyStart < 0 ? [] : Encoding.UTF8.GetBytes(text[(bodyStart + 2)..]);
        string[] lines = head.Split('\n');
        string requestLine = lines[0];
        int firstSpace = requestLine.IndexOf(' ');
        int lastSpace = requestLine.LastIndexOf(' ');
        Method = requestLine[..firstSpace];
        string target = requestLine[(firstSpace + 1)..lastSpace];
        int question = target.IndexOf('?');
        RequestPath = question < 0 ? target : target[..question];
        Query = question < 0 ? string.Empty : target[(question + 1)..];
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                KeyValuePair<string, string> last = Headers[^1];
                Headers[^1] = new(last.Key, last.Value + "\n" + line);
                continue;
            }

            int colon = line.IndexOf(':');
            Headers.Add(new(line[..colon], line[(colon + 1)..]));
        }
    }
}
