using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenLint.Runtime;
using TokenLint.Runtime.Diagnostics;

// The namespace of ChatClientBuilder, as Microsoft.Extensions.AI's own Use* extensions do, so it shows up without a using.
namespace Microsoft.Extensions.AI;

/// <summary>Adds TokenLint's semantic cache to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class SemanticCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Serves a stored answer to an exact repeat, or to the same question in other words within the same partition
    /// (system prompt, earlier turns, model, tools, options and <see cref="SemanticCacheOptions.PartitionKey"/>).
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="embeddings">Embeds the last user message, e.g. TokenLint.Embeddings.MiniLM's <c>MiniLmEmbeddingGenerator</c>.</param>
    /// <param name="configure">Threshold, guards, time to live, capacity, store, partition key.</param>
    public static ChatClientBuilder UseSemanticCache(
        this ChatClientBuilder builder, IEmbeddingGenerator<string, Embedding<float>> embeddings, Action<SemanticCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(embeddings);
        return builder.Use((inner, services) =>
        {
            var options = new SemanticCacheOptions();
            configure?.Invoke(options);
            options.Metrics ??= TokenLintMetrics.FromServices(services);
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(SemanticCacheChatClient));
            return new SemanticCacheChatClient(inner, embeddings, options, logger);
        });
    }
}
