using Microsoft.Extensions.AI;
using ModelGateway.Gateway;

namespace ModelGateway.Telemetry;

/// <summary>
/// The outermost gateway stage: the call span, the per-call metrics and the per-call log line. Outermost so it also sees
/// calls that rate limits and budgets reject.
/// </summary>
internal sealed class TelemetryStage : GatewayStage
{
    private readonly GatewayTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;

    public TelemetryStage(GatewayTelemetry telemetry, TimeProvider timeProvider)
    {
        _telemetry = telemetry;
        _timeProvider = timeProvider;
    }

    public override int Order => GatewayStageOrder.Telemetry;

    // Always wraps: listeners (an OpenTelemetry SDK, dotnet-counters) may attach after start-up; each call checks.
    public override IChatClient Wrap(IChatClient inner, IServiceProvider services) => new TelemetryChatClient(inner, _telemetry, _timeProvider);
}
