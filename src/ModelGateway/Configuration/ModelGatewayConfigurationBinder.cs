using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ModelGateway.Configuration;

/// <summary>
/// Binds the <c>ModelGateway</c> section. Unknown keys (typos such as <c>Deploymnets</c>) and values that do not convert
/// (<c>"Timeout": "20s"</c>) fail start-up as <see cref="OptionsValidationException"/> naming the key, like every other
/// configuration error, instead of being silently ignored.
/// </summary>
internal static class ModelGatewayConfigurationBinder
{
    public static void Bind(IConfiguration section, ModelGatewayOptions options)
    {
        try
        {
            section.Bind(options, static binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new OptionsValidationException(
                Options.DefaultName,
                typeof(ModelGatewayOptions),
                [$"{Describe(section)}: {exception.Message}{(exception.InnerException is { } inner ? " " + inner.Message : string.Empty)}"]);
        }
    }

    private static string Describe(IConfiguration section) =>
        section is IConfigurationSection { Path.Length: > 0 } s ? s.Path : GatewayDefaults.SectionName;
}
