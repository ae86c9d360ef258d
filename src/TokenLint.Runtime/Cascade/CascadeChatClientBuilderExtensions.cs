using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenLint.Runtime.Cascade;
using TokenLint.Runtime.Diagnostics;

// The namespace of ChatClientBuilder, as Microsoft.Extensions.AI's own Use* extensions do.
namespace Microsoft.Extensions.AI;

/// <summary>Adds a model cascade to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class CascadeChatClientBuilderExtensions
{
    /// <summary>
    /// Makes the pipeline's inner client the cheapest tier of a cascade, with <paramref name="strongerTiers"/> above it
    /// (cheapest first): a tier's answer is returned when <see cref="CascadeOptions.Acceptance"/> accepts it, else the
    /// next tier is asked.
    /// </summary>
    /// <param name="builder">The pipeline; its inner client is the first tier.</param>
    /// <param name="configure">The acceptance checks and escalation settings.</param>
    /// <param name="strongerTiers">The tiers above the inner client, each a pre-built client with its own pipeline and model.</param>
    public static ChatClientBuilder UseCascade(
        this ChatClientBuilder builder, Action<CascadeOptions>? configure, params CascadeTier[] strongerTiers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(strongerTiers);
        if (strongerTiers.Length == 0)
        {
            throw new ArgumentException("Name at least one tier above the pipeline's own client.", nameof(strongerTiers));
        }

        return builder.Use((inner, services) =>
        {
            var options = new CascadeOptions();
            configure?.Invoke(options);
            options.Metrics ??= TokenLintMetrics.FromServices(services);
            var tiers = new List<CascadeTier>(strongerTiers.Length + 1) { new(inner) };
            tiers.AddRange(strongerTiers);
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(CascadeChatClient));
            return new CascadeChatClient(tiers, options, logger);
        });
    }

    /// <summary>The same, with the stronger tiers named after their clients' default model ids.</summary>
    public static ChatClientBuilder UseCascade(
        this ChatClientBuilder builder, Action<CascadeOptions>? configure, params IChatClient[] strongerTiers)
    {
        ArgumentNullException.ThrowIfNull(strongerTiers);
        return builder.UseCascade(configure, Array.ConvertAll(strongerTiers, client => new CascadeTier(client)));
    }
}
