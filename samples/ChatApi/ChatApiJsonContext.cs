using System.Text.Json.Serialization;
using ChatApi.Chat;
using ChatApi.Health;
using ChatApi.Spend;

namespace ChatApi;

/// <summary>Source-generated serialization for the sample's own endpoints (the OpenAI wire format has its own context).</summary>
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatReply))]
[JsonSerializable(typeof(ModelHealthReport))]
[JsonSerializable(typeof(SpendReport))]
internal sealed partial class ChatApiJsonContext : JsonSerializerContext;
