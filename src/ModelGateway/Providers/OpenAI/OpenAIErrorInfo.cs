namespace ModelGateway.Providers.OpenAI;

/// <summary>What an OpenAI-shaped error body says: <c>{"error":{"message","type","code","param", "innererror"|"inner_error":{"code"}}}</c>.</summary>
internal readonly record struct OpenAIErrorInfo(string? Message, string? Type, string? Code, string? InnerCode)
{
    /// <summary>Gets the most specific code the body carried, for <see cref="ProviderException.ProviderErrorCode"/>.</summary>
    public string? BestCode => Code ?? InnerCode ?? Type;
}
