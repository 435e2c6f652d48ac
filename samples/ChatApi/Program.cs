// ChatApi: ModelGateway behind two HTTP APIs — OpenAI's /v1/chat/completions (point any OpenAI SDK here) and a small
// app endpoint, /api/chat. Run it with: dotnet run --project samples/ChatApi (Development: fake providers, no keys).
using ChatApi;

WebApplication app = ChatApiApp.Build(args);
await app.RunAsync();
