using System.Buffers.Binary;
using System.Text;
using ModelGateway.Providers.Bedrock;

namespace ModelGateway.Benchmarks.Fixtures;

/// <summary>
/// Fixed, realistic response bodies in the shape the vendors send them (field order and sizes taken from real Chat
/// Completions and Messages responses), built once per process. Streams carry <see cref="StreamChunks"/> content deltas.
/// </summary>
internal static class RecordedResponses
{
    public const int StreamChunks = 200;

    public const string OpenAIModel = "gpt-4o-mini";

    public const string AnthropicModel = "claude-3-5-haiku-20241022";

    private const string Answer =
        "Retries with exponential backoff and jitter spread the load of a recovering service over time, so that clients " +
        "which failed together do not all come back at the same moment. Combine them with a cap on the total time spent, " +
        "honour Retry-After when the server sends it, and only retry errors that can succeed on a second try: timeouts, " +
        "429s and 5xx answers, never a 400 or an authentication failure.";

    /// <summary>Gets one word (with its leading space) per streamed chunk.</summary>
    public static string[] Words { get; } = BuildWords();

    public static byte[] OpenAIChatCompletion { get; } = Encoding.UTF8.GetBytes($$"""
        {
          "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
          "object": "chat.completion",
          "created": 1741569952,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "{{Answer}}",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 57,
            "completion_tokens": 82,
            "total_tokens": 139,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_06737a9306"
        }
        """);

    public static byte[] OpenAIStream { get; } = BuildOpenAIStream(StreamChunks);

    public static byte[] AnthropicMessage { get; } = Encoding.UTF8.GetBytes($$"""
        {
          "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
          "type": "message",
          "role": "assistant",
          "model": "{{AnthropicModel}}",
          "content": [ { "type": "text", "text": "{{Answer}}" } ],
          "stop_reason": "end_turn",
          "stop_sequence": null,
          "usage": {
            "input_tokens": 57,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": 82,
            "service_tier": "standard"
          }
        }
        """);

    public static byte[] AnthropicStream { get; } = BuildAnthropicStream(StreamChunks);

    /// <summary>Builds an OpenAI stream of <paramref name="chunks"/> content deltas (plus role, finish, usage and [DONE]).</summary>
    public static byte[] BuildOpenAIStream(int chunks)
    {
        const string Prefix = "data: {\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",\"choices\":[";
        var text = new StringBuilder();
        text.Append(Prefix).Append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (int i = 0; i < chunks; i++)
        {
            text.Append(Prefix).Append("{\"index\":0,\"delta\":{\"content\":\"").Append(Words[i % Words.Length])
                .Append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }

        text.Append(Prefix).Append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        text.Append(Prefix).Append("],\"usage\":{\"prompt_tokens\":57,\"completion_tokens\":").Append(chunks)
            .Append(",\"total_tokens\":").Append(57 + chunks)
            .Append(",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n");
        text.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Builds an Anthropic Messages stream of <paramref name="chunks"/> text deltas.</summary>
    public static byte[] BuildAnthropicStream(int chunks)
    {
        var text = new StringBuilder();
        text.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"")
            .Append(AnthropicModel)
            .Append("\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":57,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n");
        text.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        text.Append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        for (int i = 0; i < chunks; i++)
        {
            text.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"")
                .Append(Words[i % Words.Length]).Append("\"}}\n\n");
        }

        text.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        text.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":")
            .Append(chunks).Append("}}\n\n");
        text.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Builds a Bedrock ConverseStream event stream (binary AWS event-stream framing) of <paramref name="chunks"/> text deltas.</summary>
    public static byte[] BuildBedrockEventStream(int chunks)
    {
        var stream = new MemoryStream();
        Frame(stream, "messageStart", "{\"role\":\"assistant\",\"p\":\"abcdefgh\"}");
        for (int i = 0; i < chunks; i++)
        {
            Frame(stream, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + Words[i % Words.Length] + "\"},\"p\":\"abcdefghijkl\"}");
        }

        Frame(stream, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcd\"}");
        Frame(stream, "messageStop", "{\"stopReason\":\"end_turn\",\"p\":\"abcdefghijklmnop\"}");
        Frame(stream, "metadata", "{\"usage\":{\"inputTokens\":57,\"outputTokens\":" + chunks + ",\"totalTokens\":" + (57 + chunks) + "},\"metrics\":{\"latencyMs\":812},\"p\":\"abc\"}");
        return stream.ToArray();
    }

    private static void Frame(MemoryStream stream, string eventType, string json)
    {
        byte[] headers = Headers((":event-type", eventType), (":content-type", "application/json"), (":message-type", "event"));
        byte[] payload = Encoding.UTF8.GetBytes(json);
        int total = 16 + headers.Length + payload.Length;
        byte[] frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.Compute(frame.AsSpan(0, 8)));
        headers.CopyTo(frame.AsSpan(12));
        payload.CopyTo(frame.AsSpan(12 + headers.Length));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32.Compute(frame.AsSpan(0, total - 4)));
        stream.Write(frame);
    }

    private static byte[] Headers(params (string Name, string Value)[] headers)
    {
        var buffer = new MemoryStream();
        foreach ((string name, string value) in headers)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            byte[] valueBytes = Encoding.UTF8.GetBytes(value);
            buffer.WriteByte((byte)nameBytes.Length);
            buffer.Write(nameBytes);
            buffer.WriteByte(7); // string
            buffer.WriteByte((byte)(valueBytes.Length >> 8));
            buffer.WriteByte((byte)valueBytes.Length);
            buffer.Write(valueBytes);
        }

        return buffer.ToArray();
    }

    private static string[] BuildWords()
    {
        string[] parts = Answer.Split(' ');
        for (int i = 1; i < parts.Length; i++)
        {
            parts[i] = " " + parts[i];
        }

        return parts;
    }
}
