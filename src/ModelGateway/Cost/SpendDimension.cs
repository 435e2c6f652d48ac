namespace ModelGateway;

/// <summary>What spend is counted by: the request metadata, the alias, or where the call went.</summary>
public enum SpendDimension
{
    /// <summary>Every request together; the key is ignored.</summary>
    Global,

    /// <summary>Per user (<see cref="GatewayChatOptionsExtensions.WithUser"/>); requests without one count under <see cref="SpendKeys.Anonymous"/>.</summary>
    User,

    /// <summary>Per team (<see cref="GatewayChatOptionsExtensions.WithTeam"/>); requests without one count under <see cref="SpendKeys.Anonymous"/>.</summary>
    Team,

    /// <summary>Per feature (<see cref="GatewayChatOptionsExtensions.WithFeature"/>); requests without one count under <see cref="SpendKeys.Anonymous"/>.</summary>
    Feature,

    /// <summary>Per tag (<see cref="GatewayChatOptionsExtensions.WithTags"/>); a request counts under each of its tags, and under none when it has none.</summary>
    Tag,

    /// <summary>Per model alias the application asked for (after conditional routes).</summary>
    Model,

    /// <summary>Per configured provider name that served the call.</summary>
    Provider,

    /// <summary>Per deployment that served the call, keyed <c>provider/model</c> (the provider's model id).</summary>
    Deployment,
}
