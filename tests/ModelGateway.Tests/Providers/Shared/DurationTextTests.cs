using ModelGateway.Providers.Shared;

namespace ModelGateway.Tests.Providers.Shared;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("6m0s", 360_000)]
    [InlineData("20ms", 20)]
    [InlineData("1s", 1_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1h2m3.5s", 3_723_500)]
    [InlineData("12", 12_000)]
    [InlineData("0.25", 250)]
    [InlineData(" 7s ", 7_000)]
    public void TryParse_KnownForms_ReturnsDuration(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out TimeSpan value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5 minutes")]
    [InlineData("-3s")]
    [InlineData("3x")]
    public void TryParse_Garbage_ReturnsFalse(string text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }
}
