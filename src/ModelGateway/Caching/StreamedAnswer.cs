using System.Buffers;
using Microsoft.Extensions.AI;

namespace ModelGateway.Caching;

/// <summary>
/// Assembles a streamed answer for the cache while it passes through, so that it can be stored once the stream
/// completed. A text-only stream (text and usage contents, one message) keeps no update: each chunk's text is appended
/// to one pooled buffer and its metadata folded in exactly as <see cref="ChatResponseExtensions.ToChatResponse(IEnumerable{ChatResponseUpdate})"/>
/// folds it, so nothing is allocated per chunk. At the first update that is not plain (another content type,
/// annotations, additional properties, a second message, a continuation token), what was assembled so far becomes one
/// equivalent update and every update from there on is kept, to be joined by <c>ToChatResponse()</c> at the end.
/// </summary>
/// <remarks>Not thread-safe: one stream at a time. Dispose returns the buffer to the pool; <see cref="Reset"/> also clears
/// the state, for the next stream.</remarks>
internal sealed class StreamedAnswer : IDisposable
{
    private const int InitialBuffer = 1024;

    private char[]? _text;
    private int _length;
    private bool _hasText;
    private bool _any;
    private List<ChatResponseUpdate>? _updates;

    private ChatRole? _role;
    private string? _authorName;
    private string? _messageId;
    private DateTimeOffset? _createdAt;
    private string? _responseId;
    private string? _conversationId;
    private string? _modelId;
    private ChatFinishReason? _finishReason;
    private UsageDetails? _usage;

    /// <summary>Gets whether the answer is still plain text (assembled in the buffer, no update kept).</summary>
    public bool IsPlain => _updates is null;

    /// <summary>Gets whether the plain answer is one the cache stores: it has a message, no conversation, no content filter stop.</summary>
    public bool IsStorablePlain => _any && _conversationId is null && _finishReason != ChatFinishReason.ContentFilter;

    public void Add(ChatResponseUpdate update)
    {
        if (_updates is null && !TryFold(update))
        {
            _updates = new List<ChatResponseUpdate>(32);
            if (_any)
            {
                _updates.Add(ToUpdate());
            }

            ReturnBuffer();
        }

        _updates?.Add(update);
    }

    /// <summary>Gets the plain answer's parts, for the entry writer.</summary>
    public Snapshot GetSnapshot() =>
        new(_role ?? ChatRole.Assistant, _authorName, _messageId, _createdAt, _responseId, _conversationId, _modelId, _finishReason, _usage, _hasText, _text.AsSpan(0, _length));

    /// <summary>Joins the kept updates (when the answer stopped being plain).</summary>
    public ChatResponse ToChatResponse() => (_updates ?? [ToUpdate()]).ToChatResponse();

    public void Dispose() => ReturnBuffer();

    /// <summary>Returns the buffer and forgets everything assembled, so that the instance can assemble another stream.</summary>
    public void Reset()
    {
        ReturnBuffer();
        _hasText = false;
        _any = false;
        _updates = null;
        _role = null;
        _authorName = null;
        _messageId = null;
        _createdAt = null;
        _responseId = null;
        _conversationId = null;
        _modelId = null;
        _finishReason = null;
        _usage = null;
    }

    private bool TryFold(ChatResponseUpdate update)
    {
        if (update.AdditionalProperties is not null || update.ContinuationToken is not null)
        {
            return false;
        }

        // A change of author, message id or role starts another message in ToChatResponse: not one plain message any more.
        if (_any && (NotEmptyOrEqual(update.AuthorName, _authorName) || NotEmptyOrEqual(update.MessageId, _messageId) || (update.Role is { } role && role != (_role ?? ChatRole.Assistant))))
        {
            return false;
        }

        IList<AIContent> contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            AIContent content = contents[i];
            if (content is UsageContent usageContent)
            {
                if (PlainResponseJson.HasEvaluationCounts(usageContent.Details))
                {
                    return false;
                }

                continue;
            }

            if (content is not TextContent text || text.GetType() != typeof(TextContent) || text.Annotations is not null || text.AdditionalProperties is not null)
            {
                return false;
            }
        }

        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is UsageContent usage)
            {
                (_usage ??= new UsageDetails()).Add(usage.Details);
            }
            else
            {
                Append(((TextContent)contents[i]).Text);
                _hasText = true;
            }
        }

        _any = true;
        if (update.AuthorName is not null)
        {
            _authorName = update.AuthorName;
        }

        if (update.Role is { } newRole)
        {
            _role = newRole;
        }

        if (update.MessageId is { Length: > 0 })
        {
            _messageId = update.MessageId;
        }

        // The message's and the response's creation times follow the same rule in ToChatResponse (the first one given
        // wins, in Microsoft.Extensions.AI 10.x): one field serves both. StreamedAnswerTests pins the rule down.
        _createdAt ??= update.CreatedAt;

        if (update.ResponseId is { Length: > 0 })
        {
            _responseId = update.ResponseId;
        }

        if (update.ConversationId is not null)
        {
            _conversationId = update.ConversationId;
        }

        if (update.FinishReason is not null)
        {
            _finishReason = update.FinishReason;
        }

        if (update.ModelId is not null)
        {
            _modelId = update.ModelId;
        }

        return true;
    }

    /// <summary>One update that ToChatResponse folds into the same message and response as every update folded so far.</summary>
    private ChatResponseUpdate ToUpdate()
    {
        var contents = new List<AIContent>(2);
        if (_hasText)
        {
            contents.Add(new TextContent(new string(_text.AsSpan(0, _length))));
        }

        if (_usage is not null)
        {
            contents.Add(new UsageContent(_usage));
        }

        return new ChatResponseUpdate(_role, contents)
        {
            AuthorName = _authorName,
            MessageId = _messageId,
            CreatedAt = _createdAt,
            ResponseId = _responseId,
            ConversationId = _conversationId,
            ModelId = _modelId,
            FinishReason = _finishReason,
        };
    }

    private void Append(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (_text is null || _text.Length - _length < text.Length)
        {
            char[] grown = ArrayPool<char>.Shared.Rent(Math.Max(InitialBuffer, Math.Max(_length + text.Length, (_text?.Length ?? 0) * 2)));
            if (_text is not null)
            {
                _text.AsSpan(0, _length).CopyTo(grown);
                ArrayPool<char>.Shared.Return(_text);
            }

            _text = grown;
        }

        text.AsSpan().CopyTo(_text.AsSpan(_length));
        _length += text.Length;
    }

    private void ReturnBuffer()
    {
        char[]? text = _text;
        _text = null;
        _length = 0;
        if (text is not null)
        {
            ArrayPool<char>.Shared.Return(text);
        }
    }

    private static bool NotEmptyOrEqual(string? s1, string? s2) =>
        s1 is { Length: > 0 } && s2 is { Length: > 0 } && !string.Equals(s1, s2, StringComparison.Ordinal);

    /// <summary>The parts of a plain answer; valid until the next <see cref="Add"/> or <see cref="Dispose"/>.</summary>
    internal readonly ref struct Snapshot
    {
        public Snapshot(ChatRole role, string? authorName, string? messageId, DateTimeOffset? createdAt, string? responseId, string? conversationId, string? modelId, ChatFinishReason? finishReason, UsageDetails? usage, bool hasText, ReadOnlySpan<char> text)
        {
            Role = role;
            AuthorName = authorName;
            MessageId = messageId;
            CreatedAt = createdAt;
            ResponseId = responseId;
            ConversationId = conversationId;
            ModelId = modelId;
            FinishReason = finishReason;
            Usage = usage;
            HasText = hasText;
            Text = text;
        }

        public ChatRole Role { get; }

        public string? AuthorName { get; }

        public string? MessageId { get; }

        public DateTimeOffset? CreatedAt { get; }

        public string? ResponseId { get; }

        public string? ConversationId { get; }

        public string? ModelId { get; }

        public ChatFinishReason? FinishReason { get; }

        public UsageDetails? Usage { get; }

        public bool HasText { get; }

        public ReadOnlySpan<char> Text { get; }
    }
}
