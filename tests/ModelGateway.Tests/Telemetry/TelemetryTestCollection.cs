namespace ModelGateway.Tests.Telemetry;

/// <summary>
/// Telemetry tests share one collection so they never run in parallel with each other: an <c>ActivityListener</c> is
/// process-wide, and the test that proves no work is done without listeners must not see another test's listener.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TelemetryTestCollection
{
    public const string Name = "Telemetry";
}
