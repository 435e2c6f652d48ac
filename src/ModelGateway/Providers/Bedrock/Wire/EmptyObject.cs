namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>An empty JSON object, <c>{}</c> (the <c>auto</c> and <c>any</c> tool choices).</summary>
internal sealed class EmptyObject;
