using Microsoft.Extensions.AI;

namespace ModelGateway.Gateway;

/// <summary>The application decorators added with <see cref="IModelGatewayBuilder.UseMiddleware"/>, in the order added.</summary>
internal sealed class GatewayMiddlewareRegistry
{
    public List<Func<IChatClient, IServiceProvider, IChatClient>> Application { get; } = [];
}
