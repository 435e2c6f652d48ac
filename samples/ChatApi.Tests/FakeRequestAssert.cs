using ModelGateway.Testing;

namespace ChatApi.Tests;

internal static class FakeRequestAssert
{
    /// <summary>Asserts the fake received exactly one request, for <paramref name="providerModel"/>.</summary>
    public static FakeChatRequest SingleRequest(FakeChatClient fake, string providerModel)
    {
        FakeChatRequest request = Assert.Single(fake.Requests);
        Assert.Equal(providerModel, request.Options?.ModelId);
        return request;
    }
}
