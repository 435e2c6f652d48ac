using Microsoft.Extensions.AI;
using ModelGateway.Routing;

namespace ModelGateway.Tests.Routing;

public class TokenEstimatorTests
{
    private static List<ChatMessage> Messages() =>
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, [new TextContent("What is in this picture?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
        new(ChatRole.Assistant, [new TextReasoningContent("thinking about it"), new FunctionCallContent("c1", "look", null)]),
        new(ChatRole.Tool, [new FunctionResultContent("c1", "a cat on a mat")]),
        new(ChatRole.User, string.Empty),
    ];

    [Fact]
    public void Estimate_ListAndLazySequence_GiveTheSameCount()
    {
        var options = new ChatOptions { Instructions = "Answer in French." };

        int fromList = TokenEstimator.Estimate(Messages(), options);
        int fromArray = TokenEstimator.Estimate(Messages().ToArray(), options);
        int fromSequence = TokenEstimator.Estimate(Messages().Select(static m => m), options);

        Assert.Equal(fromSequence, fromList);
        Assert.Equal(fromSequence, fromArray);
    }

    [Fact]
    public void Estimate_CountsCharactersPerFourAndFixedCostsPerMessageAndNonTextPart()
    {
        // 5 messages × 4, 2 non-text parts (image, function call) × 85,
        // characters: 17 instructions + 14 + 24 + 17 reasoning + 14 result = 86 → 22 tokens.
        int estimate = TokenEstimator.Estimate(Messages(), new ChatOptions { Instructions = "Answer in French." });

        Assert.Equal((5 * 4) + (2 * 85) + 22, estimate);
    }
}
