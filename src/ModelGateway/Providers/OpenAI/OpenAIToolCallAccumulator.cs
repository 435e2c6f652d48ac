using System.Text;
using Microsoft.Extensions.AI;
using ModelGateway.Providers.OpenAI.Wire;

namespace ModelGateway.Providers.OpenAI;

/// <summary>
/// Assembles streamed tool calls: the first fragment of an index carries the id and name, later ones only pieces of the
/// arguments, and parallel calls interleave by index. Not thread-safe; one per stream.
/// </summary>
internal sealed class OpenAIToolCallAccumulator
{
    private readonly List<PendingCall> _calls = [];

    public bool HasCalls => _calls.Count > 0;

    public void Add(List<WireToolCall> fragments)
    {
        for (int i = 0; i < fragments.Count; i++)
        {
            WireToolCall fragment = fragments[i];
            int index = fragment.Index ?? i;
            PendingCall call = Find(index);
            if (!string.IsNullOrEmpty(fragment.Id))
            {
                call.Id = fragment.Id;
            }

            if (fragment.Function is { } function)
            {
                if (!string.IsNullOrEmpty(function.Name))
                {
                    call.Name = function.Name;
                }

                if (!string.IsNullOrEmpty(function.Arguments))
                {
                    call.Arguments.Append(function.Arguments);
                }
            }
        }
    }

    /// <summary>Moves every assembled call, in index order, into <paramref name="contents"/>.</summary>
    public void Flush(IList<AIContent> contents)
    {
        _calls.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        foreach (PendingCall call in _calls)
        {
            contents.Add(OpenAIResponseMapper.ToFunctionCall(call.Id, call.Name, call.Arguments.ToString()));
        }

        _calls.Clear();
    }

    private PendingCall Find(int index)
    {
        foreach (PendingCall call in _calls)
        {
            if (call.Index == index)
            {
                return call;
            }
        }

        var created = new PendingCall(index);
        _calls.Add(created);
        return created;
    }

    private sealed class PendingCall(int index)
    {
        public int Index { get; } = index;

        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
