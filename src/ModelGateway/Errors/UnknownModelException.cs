namespace ModelGateway;

/// <summary>The requested model is neither a configured alias nor an allowed <c>provider/model</c> address.</summary>
public sealed class UnknownModelException : ModelGatewayException
{
    /// <summary>Initializes a new instance of the <see cref="UnknownModelException"/> class.</summary>
    /// <param name="model">The model the caller asked for.</param>
    /// <param name="knownModels">The configured aliases.</param>
    public UnknownModelException(string? model, IReadOnlyList<string> knownModels)
        : base(BuildMessage(model, knownModels))
    {
        ArgumentNullException.ThrowIfNull(knownModels);
        Model = model;
        KnownModels = knownModels;
    }

    /// <summary>Gets the model the caller asked for.</summary>
    public string? Model { get; }

    /// <summary>Gets the configured aliases.</summary>
    public IReadOnlyList<string> KnownModels { get; }

    private static string BuildMessage(string? model, IReadOnlyList<string> knownModels)
    {
        string known = knownModels is { Count: > 0 } ? string.Join(", ", knownModels) : "(none)";
        return model is null
            ? $"No model was requested and no DefaultModel is configured. Configured aliases: {known}."
            : $"Unknown model '{model}'. Configured aliases: {known}.";
    }
}
