using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenLint.Runtime;
using TokenLint.Runtime.Diagnostics;

// The namespace of ChatClientBuilder, as Microsoft.Extensions.AI's own Use* extensions do, so it shows up without a using.
namespace Microsoft.Extensions.AI;

/// <summary>Adds TokenLint's metering to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class TokenMeteringChatClientBuilderExtensions
{
    /// <summary>
    /// Meters every call below this point: tokens by kind, dollars, and the <see cref="TokenScope"/> it ran in.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="sink">
    /// Where each call goes, e.g. an <see cref="InMemoryTokenLedger"/>; more can be added in <paramref name="configure"/>.
    /// With neither, the <see cref="ITokenUsageSink"/>s registered in the pipeline's services are used.
    /// </param>
    /// <param name="configure">Prices, metrics and TTL settings.</param>
    public static ChatClientBuilder UseTokenMetering(
        this ChatClientBuilder builder, ITokenUsageSink? sink = null, Action<TokenMeteringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = new TokenMeteringOptions();
            if (sink is not null)
            {
                options.Sinks.Add(sink);
            }

            configure?.Invoke(options);
            if (options.Sinks.Count == 0)
            {
                foreach (var registered in services.GetServices<ITokenUsageSink>())
                {
                    options.Sinks.Add(registered);
                }
            }

            options.Metrics ??= TokenLintMetrics.FromServices(services);

            var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(TokenMeteringChatClient));
            return new TokenMeteringChatClient(inner, options, logger);
        });
    }
}
