using Microsoft.Extensions.AI;

namespace ModelGateway.Routing;

/// <summary>What the router learns from a stream as it passes through: usage, finish reason, model and id. No buffering.</summary>
internal sealed class StreamSummary
{
    public UsageDetails? Usage { get; private set; }

    public ChatFinishReason? FinishReason { get; private set; }

    public string? ModelId { get; private set; }

    public string? ResponseId { get; private set; }

    public void Observe(ChatResponseUpdate update)
    {
        if (update.FinishReason is { } finish)
        {
            FinishReason = finish;
        }

        if (update.ModelId is { } model)
        {
            ModelId = model;
        }

        if (update.ResponseId is { } id)
        {
            ResponseId = id;
        }

        IList<AIContent> contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is UsageContent usage)
            {
                if (Usage is null)
                {
                    Usage = new UsageDetails();
                }

                Usage.Add(usage.Details);
            }
        }
    }
}
