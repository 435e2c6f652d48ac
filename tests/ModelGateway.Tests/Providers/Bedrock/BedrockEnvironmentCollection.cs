namespace ModelGateway.Tests.Providers.Bedrock;

/// <summary>Tests that change the process's AWS environment variables run alone, never alongside other tests.</summary>
[CollectionDefinition(nameof(BedrockEnvironmentTests), DisableParallelization = true)]
public sealed class BedrockEnvironmentCollection;
