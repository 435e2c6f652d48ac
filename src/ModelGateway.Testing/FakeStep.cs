using Microsoft.Extensions.AI;

namespace ModelGateway.Testing;

/// <summary>One scripted step of a <see cref="FakeChatClient"/>.</summary>
internal sealed class FakeStep
{
    private FakeStep(ChatResponse? response, string[]? chunks, Exception? failure, bool isHang)
    {
        Response = response;
        Chunks = chunks;
        Failure = failure;
        IsHang = isHang;
    }

    public ChatResponse? Response { get; }

    public string[]? Chunks { get; }

    public Exception? Failure { get; }

    public bool IsHang { get; }

    public static FakeStep Answer(ChatResponse response) => new(response, null, null, false);

    public static FakeStep Stream(string[] chunks, Exception? failure) => new(null, chunks, failure, false);

    public static FakeStep Throw(Exception failure) => new(null, null, failure, false);

    public static FakeStep Hang() => new(null, null, null, true);
}
