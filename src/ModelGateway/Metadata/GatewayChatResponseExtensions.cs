using Microsoft.Extensions.AI;

namespace ModelGateway;

/// <summary>Reads the <see cref="GatewayResponseInfo"/> the gateway attaches to what it returns.</summary>
public static class GatewayChatResponseExtensions
{
    /// <summary>Gets what the gateway did to produce <paramref name="response"/>.</summary>
    /// <param name="response">A response returned by the gateway, or built from its streamed updates with <c>ToChatResponse()</c>.</param>
    /// <returns>The information, or <see langword="null"/> when the response did not come through the gateway.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <c>ToChatResponse()</c> moves a final update's properties onto the last message when that update has contents or a
    /// message id, and onto the response otherwise; both places are searched.
    /// </remarks>
    public static GatewayResponseInfo? GetGatewayInfo(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (TryGet(response.AdditionalProperties, out GatewayResponseInfo? info))
        {
            return info;
        }

        IList<ChatMessage> messages = response.Messages;
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (TryGet(messages[i].AdditionalProperties, out info))
            {
                return info;
            }
        }

        return null;
    }

    /// <summary>Gets the gateway information carried by a streamed update (the gateway puts it on the final one).</summary>
    /// <param name="update">A streamed update.</param>
    /// <returns>The information, or <see langword="null"/> when this update carries none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public static GatewayResponseInfo? GetGatewayInfo(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return TryGet(update.AdditionalProperties, out GatewayResponseInfo? info) ? info : null;
    }

    private static bool TryGet(AdditionalPropertiesDictionary? properties, out GatewayResponseInfo? info)
    {
        if (properties is not null && properties.TryGetValue(GatewayPropertyNames.ResponseInfo, out object? value) && value is GatewayResponseInfo found)
        {
            info = found;
            return true;
        }

        info = null;
        return false;
    }
}
