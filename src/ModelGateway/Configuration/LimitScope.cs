namespace ModelGateway;

/// <summary>What a budget or rate limit is counted per.</summary>
public enum LimitScope
{
    /// <summary>Every request together.</summary>
    Global,

    /// <summary>Per team (<see cref="GatewayChatOptionsExtensions.WithTeam"/>).</summary>
    Team,

    /// <summary>Per user (<see cref="GatewayChatOptionsExtensions.WithUser"/>).</summary>
    User,

    /// <summary>Per feature (<see cref="GatewayChatOptionsExtensions.WithFeature"/>).</summary>
    Feature,

    /// <summary>Per tag (<see cref="GatewayChatOptionsExtensions.WithTags"/>).</summary>
    Tag,

    /// <summary>Per model alias.</summary>
    Model,
}
