namespace ModelGateway.Telemetry;

/// <summary>A deployment's telemetry names, computed once per deployment so no call builds strings for them.</summary>
internal sealed class DeploymentTelemetry
{
    public DeploymentTelemetry(string provider, string model, string genAiProvider)
    {
        Provider = provider;
        Model = model;
        GenAiProvider = genAiProvider;
        Name = provider + "/" + model;
        SpanName = TelemetryNames.ChatOperation + " " + model;
    }

    /// <summary>Gets the name of an attempt span on this deployment: <c>chat {model}</c>.</summary>
    public string SpanName { get; }

    /// <summary>Gets the configured provider name (<c>modelgateway.provider</c>).</summary>
    public string Provider { get; }

    /// <summary>Gets the provider's model id (<c>gen_ai.request.model</c> of an attempt).</summary>
    public string Model { get; }

    /// <summary>Gets the <c>gen_ai.provider.name</c> value for the provider's type.</summary>
    public string GenAiProvider { get; }

    /// <summary>Gets <c>provider/model</c> (<c>modelgateway.deployment</c>).</summary>
    public string Name { get; }
}
