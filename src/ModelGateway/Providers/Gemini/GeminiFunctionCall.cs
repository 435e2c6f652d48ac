using System.Text.Json;

namespace ModelGateway.Providers.Gemini;

/// <summary>A <c>FunctionCall</c>; <see cref="Id"/> is optional and often absent.</summary>
internal sealed class GeminiFunctionCall
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement Args { get; set; }
}
