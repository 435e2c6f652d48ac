using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelGateway;
using ModelGateway.Testing;
using QuickStart;

namespace AppTests;

/// <summary>
/// How an application unit-tests its own code with ModelGateway.Testing: no network, no keys, milliseconds per test.
/// </summary>
public class TicketSummarizerTests
{
    // Style 1: the service takes an IChatClient, so hand it a FakeChatClient directly.
    [Fact]
    public async Task SummarizeAsync_ReturnsTheModelsAnswer_AndSendsTheTicket()
    {
        var fake = new FakeChatClient().Respond("  Wrong VAT number on the invoice.  ");
        var summarizer = new TicketSummarizer(fake);

        string summary = await summarizer.SummarizeAsync("My invoice shows the wrong VAT number.", "u-42");

        Assert.Equal("Wrong VAT number on the invoice.", summary);
        FakeChatRequest request = Assert.Single(fake.Requests);
        Assert.Equal("My invoice shows the wrong VAT number.", request.LastUserText);
        Assert.Equal(100, request.Options!.MaxOutputTokens);
        Assert.Equal("support", request.Options.AdditionalProperties![GatewayPropertyNames.Team]);
    }

    [Fact]
    public async Task SummarizeAsync_ProviderDown_ReturnsTheFallbackText()
    {
        var fake = new FakeChatClient().Fail(ProviderErrorKind.Unavailable);
        var summarizer = new TicketSummarizer(fake);

        Assert.Equal("(summary unavailable)", await summarizer.SummarizeAsync("Anything", "u-1"));
    }

    // Style 2: the real gateway from the app's own configuration, with every provider swapped for a fake.
    // Routing, fallbacks and metadata handling run for real.
    [Fact]
    public async Task SummarizeAsync_ThroughTheGateway_FallsBackWhenThePrimaryIsDown()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
            .Build();
        var services = new ServiceCollection();
        services.AddModelGateway(configuration.GetSection("ModelGateway"))
            .Configure(o => o.Resilience.MaxRetries = 0)
            .UseFakeProviders();
        services.AddSingleton<TicketSummarizer>();
        using ServiceProvider provider = services.BuildServiceProvider();
        FakeProviders fakes = provider.GetRequiredService<FakeProviders>();
        fakes["east"].Fail(ProviderErrorKind.Unavailable);
        fakes["west"].Fail(ProviderErrorKind.RateLimited);
        fakes["backup"].Respond("Invoice has the wrong VAT number.");

        string summary = await provider.GetRequiredService<TicketSummarizer>().SummarizeAsync("Ticket text", "u-42");

        Assert.Equal("Invoice has the wrong VAT number.", summary);
        FakeChatRequest sent = Assert.Single(fakes["backup"].Requests);
        Assert.Equal("claude-sonnet-4-20250514", sent.Options!.ModelId);
        Assert.Null(sent.Options.AdditionalProperties); // gateway metadata never reaches a provider
    }
}
