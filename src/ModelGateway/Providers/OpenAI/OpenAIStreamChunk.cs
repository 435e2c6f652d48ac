using ModelGateway.Providers.OpenAI.Wire;

namespace ModelGateway.Providers.OpenAI;

/// <summary>What one SSE event of a Chat Completions stream carried, as <see cref="OpenAIStreamReader"/> read it.</summary>
/// <remarks>
/// A plain text delta (the bulk of every stream) is read field by field into <see cref="Id"/> … <see cref="FinishReason"/>
/// with no wire objects at all; anything else (tool calls, refusals, usage, errors, unusual shapes) is deserialized
/// whole into <see cref="Full"/>.
/// </remarks>
internal readonly struct OpenAIStreamChunk
{
    public static OpenAIStreamChunk Done => new(OpenAIStreamChunkKind.Done);

    private OpenAIStreamChunk(OpenAIStreamChunkKind kind)
    {
        Kind = kind;
    }

    public OpenAIStreamChunk(WireChatCompletion? full)
    {
        Kind = full is null ? OpenAIStreamChunkKind.Empty : OpenAIStreamChunkKind.Full;
        Full = full;
    }

    public OpenAIStreamChunk(string? id, string? model, long? created, string? content, string? reasoning, string? finishReason)
    {
        Kind = OpenAIStreamChunkKind.Delta;
        Id = id;
        Model = model;
        Created = created;
        Content = content;
        Reasoning = reasoning;
        FinishReason = finishReason;
    }

    public OpenAIStreamChunkKind Kind { get; }

    /// <summary>Gets the whole deserialized chunk when <see cref="Kind"/> is <see cref="OpenAIStreamChunkKind.Full"/>.</summary>
    public WireChatCompletion? Full { get; }

    public string? Id { get; }

    public string? Model { get; }

    public long? Created { get; }

    /// <summary>Gets <c>choices[0].delta.content</c>.</summary>
    public string? Content { get; }

    /// <summary>Gets <c>choices[0].delta.reasoning_content</c>.</summary>
    public string? Reasoning { get; }

    /// <summary>Gets <c>choices[0].finish_reason</c>.</summary>
    public string? FinishReason { get; }
}

/// <summary>The kinds of <see cref="OpenAIStreamChunk"/>.</summary>
internal enum OpenAIStreamChunkKind
{
    /// <summary>An empty event (or JSON <c>null</c>): nothing to pass on.</summary>
    Empty,

    /// <summary>The <c>[DONE]</c> sentinel.</summary>
    Done,

    /// <summary>A chunk with exactly one choice (index 0) whose delta is text only, read without wire objects.</summary>
    Delta,

    /// <summary>Any other chunk, deserialized whole into <see cref="OpenAIStreamChunk.Full"/>.</summary>
    Full,
}
