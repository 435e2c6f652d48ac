using ModelGateway.Telemetry;

namespace ModelGateway.Tests.Telemetry;

public class TelemetryTagsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void Box_Int_HoldsTheValue(int value) => Assert.Equal(value, Assert.IsType<int>(TelemetryTags.Box(value)));

    [Fact]
    public void Box_SmallIntsAndBools_AreSharedBoxes()
    {
        Assert.Same(TelemetryTags.Box(2), TelemetryTags.Box(2));
        Assert.Same(TelemetryTags.Box(true), TelemetryTags.Box(true));
        Assert.Equal(true, TelemetryTags.Box(true));
        Assert.Equal(false, TelemetryTags.Box(false));
    }
}
