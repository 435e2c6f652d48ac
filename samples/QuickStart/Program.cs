// QuickStart: ModelGateway on fake providers, with no keys and no network.
// Run it with: dotnet run --project samples/QuickStart
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelGateway;
using QuickStart;

// appsettings.json is copied next to the program, so read it from there whatever the working directory is.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddModelGateway();          // binds the "ModelGateway" section of appsettings.json
builder.Services.AddSingleton<TicketSummarizer>();
using IHost host = builder.Build();
await host.StartAsync();                     // the configuration is validated here

IChatClient chat = host.Services.GetRequiredService<IChatClient>();

Console.WriteLine("1. Weighted routing across two deployments of 'primary-chat' (9:1):");
for (int i = 1; i <= 6; i++)
{
    ChatResponse response = await chat.GetResponseAsync($"Question {i}");
    Print($"   call {i}", response);
}

Console.WriteLine();
Console.WriteLine("2. Streaming: chunks arrive as they are produced; the last update carries the gateway info:");
List<ChatResponseUpdate> updates = [];
Console.Write("   ");
await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Stream this, please."))
{
    Console.Write(update.Text);
    updates.Add(update);
}

Console.WriteLine();
Print("   streamed", updates.ToChatResponse());

Console.WriteLine();
Console.WriteLine("3. A simulated outage: 'outage-demo' has one deployment that always fails; 'fallback-chat' answers:");
ChatResponse rescued = await chat.GetResponseAsync("Are you there?", new ChatOptions { ModelId = "outage-demo" });
Print("   outage", rescued);
foreach (GatewayAttempt attempt in rescued.GetGatewayInfo()!.Attempts)
{
    Console.WriteLine($"      attempt: {attempt}{(attempt.Delay > TimeSpan.Zero ? $" after waiting {attempt.Delay.TotalMilliseconds:0} ms" : string.Empty)}");
}

Console.WriteLine();
Console.WriteLine("4. Application code depends on IChatClient only:");
TicketSummarizer summarizer = host.Services.GetRequiredService<TicketSummarizer>();
Console.WriteLine($"   summary: {await summarizer.SummarizeAsync("My invoice shows the wrong VAT number.", userId: "u-42")}");

await host.StopAsync();

static void Print(string label, ChatResponse response)
{
    GatewayResponseInfo info = response.GetGatewayInfo()!;
    Console.WriteLine(
        $"{label}: \"{response.Text}\" — alias '{info.Model}' answered by {info.Provider}/{info.ProviderModel} " +
        $"in {info.Attempts.Count} attempt(s), {info.Latency.TotalMilliseconds:0} ms");
}
