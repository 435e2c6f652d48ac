using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using ModelGateway.Routing;

namespace ModelGateway.Resilience;

/// <summary>Turns whatever a provider client threw into a <see cref="ProviderException"/> the router can act on.</summary>
internal static class FailureClassifier
{
    public static ProviderException Classify(Exception exception, Deployment deployment)
    {
        if (exception is ProviderException provider)
        {
            return provider;
        }

        (ProviderErrorKind kind, int? status) = exception switch
        {
            HttpRequestException http => (http.StatusCode is { } code ? Providers.Shared.ProviderHttp.KindFromStatus((int)code) : ProviderErrorKind.Unavailable, http.StatusCode is { } c ? (int?)c : null),
            SocketException or IOException => (ProviderErrorKind.Unavailable, null),
            TimeoutException or OperationCanceledException => (ProviderErrorKind.Timeout, null),
            JsonException or FormatException => (ProviderErrorKind.InvalidResponse, null),
            _ => (ProviderErrorKind.Unknown, (int?)null),
        };

        return new ProviderException(kind, $"Provider '{deployment.Provider}' failed for model '{deployment.ProviderModel}': {exception.GetType().Name}: {exception.Message}", exception)
        {
            Provider = deployment.Provider,
            ProviderModel = deployment.ProviderModel,
            StatusCode = status,
        };
    }
}
