using Microsoft.Extensions.AI;
using ModelGateway.Testing;
using ModelGateway.Tests.TestUtilities;

namespace ModelGateway.Tests.Resilience;

public class ChaosTests
{
    private static readonly ProviderErrorKind[] Kinds =
    [
        ProviderErrorKind.RateLimited, ProviderErrorKind.Timeout, ProviderErrorKind.Unavailable,
        ProviderErrorKind.Authentication, ProviderErrorKind.NotFound, ProviderErrorKind.InvalidResponse,
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ManyConcurrentRequests_AgainstRandomlyFailingDeployments_AreEachServedOnceWithinTheAttemptBound(int seed)
    {
        const int Requests = 300;
        const int MaxRetries = 2;
        using TestGateway gateway = TestGateway.Create($$"""
            { "ModelGateway": { "DefaultModel": "chat",
              "Resilience": { "MaxRetries": {{MaxRetries}}, "BaseDelay": "00:00:00", "MaxDelay": "00:00:00",
                              "Cooldown": { "FailureThreshold": 5, "SamplingWindow": "00:01:00", "Duration": "00:00:30" } },
              "Providers": { "a": { "Type": "fake" }, "b": { "Type": "fake" }, "c": { "Type": "fake" }, "healthy": { "Type": "fake" } },
              "Models": {
                "chat": { "Deployments": [ { "Provider": "a", "Model": "m" }, { "Provider": "b", "Model": "m" }, { "Provider": "c", "Model": "m" } ],
                          "Fallbacks": [ "backup" ] },
                "backup": { "Deployments": [ { "Provider": "healthy", "Model": "m" } ] } } } }
            """, new ManualTimeProvider());

        // Scripted chaos: a and b fail 70% of the time, c 40%, each with a random kind; the backup never fails.
        var random = new Random(seed);
        int answered = 0;
        Func<FakeChatRequest, ChatResponse> echo = request =>
        {
            Interlocked.Increment(ref answered);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, request.LastUserText));
        };
        foreach ((string provider, double failureRate) in new[] { ("a", 0.7), ("b", 0.7), ("c", 0.4) })
        {
            gateway.Fakes[provider].DefaultResponse = echo;
            for (int i = 0; i < Requests * 3; i++)
            {
                if (random.NextDouble() < failureRate)
                {
                    gateway.Fakes[provider].Fail(Kinds[random.Next(Kinds.Length)]);
                }
                else
                {
                    gateway.Fakes[provider].Respond(echo);
                }
            }
        }

        gateway.Fakes["healthy"].DefaultResponse = echo;

        // Act: every request at once, half of them streamed.
        Task<ChatResponse>[] calls = new Task<ChatResponse>[Requests];
        for (int i = 0; i < Requests; i++)
        {
            string prompt = $"request-{i}";
            calls[i] = i % 2 == 0
                ? Task.Run(() => gateway.Client.GetResponseAsync(prompt))
                : Task.Run(async () =>
                {
                    var updates = new List<ChatResponseUpdate>();
                    await foreach (ChatResponseUpdate update in gateway.Client.GetStreamingResponseAsync(prompt))
                    {
                        updates.Add(update);
                    }

                    return updates.ToChatResponse();
                });
        }

        ChatResponse[] answers = await Task.WhenAll(calls);

        // Every request was served, with its own answer, exactly once, within the attempt bound: 1 + MaxRetries in a group
        // of three (the first pass may visit all three), plus the one answer from the backup.
        int attemptBound = Math.Max(1 + MaxRetries, 3) + 1;
        int attemptsListed = 0;
        for (int i = 0; i < Requests; i++)
        {
            Assert.Equal($"request-{i}", answers[i].Text);
            GatewayResponseInfo info = answers[i].GetGatewayInfo()!;
            Assert.InRange(info.Attempts.Count, 1, attemptBound);
            Assert.Null(info.Attempts[^1].ErrorKind);
            attemptsListed += info.Attempts.Count;
        }

        Assert.Equal(Requests, answered);

        // Every provider call is accounted for: in some request's attempts and in the deployments' counters.
        int providerCalls = 0;
        foreach (string provider in new[] { "a", "b", "c", "healthy" })
        {
            providerCalls += gateway.Fakes[provider].Requests.Count;
        }

        int attemptsInRequests = 0;
        DeploymentHealth[] health = [.. gateway.Gateway.GetDeploymentHealth()];
        foreach (DeploymentHealth h in health)
        {
            attemptsInRequests += (int)h.Requests;
            Assert.Equal(0, h.InFlight);
        }

        Assert.Equal(providerCalls, attemptsInRequests);
        Assert.Equal(providerCalls, attemptsListed);
    }
}
