using System.Text.Json;

namespace ModelGateway.Providers.Anthropic;

/// <summary>A response content block: <c>text</c>, <c>thinking</c>, <c>redacted_thinking</c>, <c>tool_use</c>, or a type this client ignores.</summary>
internal sealed class AnthropicContentBlock
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement Input { get; set; }

    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    public string? Data { get; set; }
}
