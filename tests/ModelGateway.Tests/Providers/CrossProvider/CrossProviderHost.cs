using System.Text;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Providers.CrossProvider;

/// <summary>
/// One loopback server per vendor, each speaking that vendor's wire format, and ONE gateway configured from
/// appsettings JSON with the real provider types pointed at them (one alias per provider).
/// </summary>
internal sealed class CrossProviderHost : IAsyncDisposable
{
    private readonly Dictionary<string, LoopbackServer> _servers;

    private CrossProviderHost(Dictionary<string, LoopbackServer> servers, TestGateway gateway)
    {
        _servers = servers;
        Gateway = gateway;
    }

    public TestGateway Gateway { get; }

    public LoopbackServer Server(ProviderWire wire) => _servers[wire.Provider];

    public static async Task<CrossProviderHost> StartAsync(CrossProviderScenario scenario, IReadOnlyList<ProviderWire> wires)
    {
        var servers = new Dictionary<string, LoopbackServer>();
        try
        {
            foreach (ProviderWire wire in wires)
            {
                servers[wire.Provider] = await LoopbackServer.StartAsync(context => wire.AnswerAsync(context, scenario));
            }

            var providers = new StringBuilder();
            var models = new StringBuilder();
            foreach (ProviderWire wire in wires)
            {
                string separator = providers.Length == 0 ? string.Empty : ",\n";
                providers.Append(separator).Append('"').Append(wire.Provider).Append("\": ").Append(wire.ProviderConfig(servers[wire.Provider].BaseAddress));
                models.Append(separator).Append($$"""
                    "{{wire.Alias}}": { "Deployments": [ { "Provider": "{{wire.Provider}}", "Model": "{{wire.Model}}" } ] }
                    """);
            }

            string json = $$"""
                {
                  "ModelGateway": {
                    "Providers": { {{providers}} },
                    "Models": { {{models}} },
                    {{TestGateway.NoDelays}}
                  }
                }
                """;
            return new CrossProviderHost(servers, TestGateway.Create(json, fakes: false));
        }
        catch
        {
            foreach (LoopbackServer server in servers.Values)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        foreach (LoopbackServer server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }
}
