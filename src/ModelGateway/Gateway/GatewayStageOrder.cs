namespace ModelGateway.Gateway;

/// <summary>The positions of the gateway's stages, outermost first, as <c>ARCHITECTURE.md</c> draws them.</summary>
internal static class GatewayStageOrder
{
    /// <summary>Telemetry and logging: sees every request and its final outcome, rejections included.</summary>
    public const int Telemetry = 100;

    /// <summary>Rate limits: reject fast, before any spend is reserved.</summary>
    public const int RateLimits = 200;

    /// <summary>Budgets: reject fast when the period's spend is used up.</summary>
    public const int Budgets = 300;

    /// <summary>Cache: a hit returns without touching a provider.</summary>
    public const int Cache = 400;
}
