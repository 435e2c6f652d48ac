namespace ModelGateway.Providers.Anthropic;

/// <summary>An error body: <c>{"type":"error","error":{"type":..,"message":..},"request_id":..}</c>.</summary>
internal sealed class AnthropicErrorResponse
{
    public AnthropicErrorDetail? Error { get; set; }

    public string? RequestId { get; set; }
}
