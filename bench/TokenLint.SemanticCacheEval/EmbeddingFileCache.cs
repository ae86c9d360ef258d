using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.SemanticCacheEval;

/// <summary>
/// Embeddings of texts seen before, kept in a file outside the repository (an evaluation re-run embeds nothing
/// twice); unseen texts go to the inner generator, in batches when <see cref="WarmAsync"/> is given them first.
/// </summary>
internal sealed class EmbeddingFileCache(IEmbeddingGenerator<string, Embedding<float>> inner, string path)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Dictionary<string, float[]> _vectors = Load(path);
    private readonly Lock _lock = new();

    public int Calls { get; private set; }

    public EmbeddingGeneratorMetadata Metadata => inner.GetService<EmbeddingGeneratorMetadata>() ?? new("file-cache");

    public async Task WarmAsync(IEnumerable<string> texts)
    {
        string[] missing;
        lock (_lock)
        {
            missing = texts.Distinct().Where(t => !_vectors.ContainsKey(t)).ToArray();
        }

        for (int start = 0; start < missing.Length; start += 256)
        {
            string[] batch = missing[start..Math.Min(missing.Length, start + 256)];
            var embedded = await inner.GenerateAsync(batch).ConfigureAwait(false);
            lock (_lock)
            {
                for (int i = 0; i < batch.Length; i++)
                {
                    _vectors[batch[i]] = embedded[i].Vector.ToArray();
                }
            }

            Console.Error.Write($"\rembedded {Math.Min(missing.Length, start + 256)}/{missing.Length}");
        }

        if (missing.Length > 0)
        {
            Console.Error.WriteLine();
            Save();
        }
    }

    public float[] Get(string text)
    {
        lock (_lock)
        {
            return _vectors[text];
        }
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        string[] texts = values.ToArray();
        Calls++;
        await WarmAsync(texts).ConfigureAwait(false);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (string text in texts)
        {
            result.Add(new Embedding<float>(Get(text)));
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : inner.GetService(serviceType, serviceKey);

    public void Dispose() => Save();

    private void Save()
    {
        lock (_lock)
        {
            using var writer = new BinaryWriter(File.Create(path));
            writer.Write(_vectors.Count);
            foreach (var (text, vector) in _vectors)
            {
                writer.Write(text);
                writer.Write(vector.Length);
                foreach (float value in vector)
                {
                    writer.Write(value);
                }
            }
        }
    }

    private static Dictionary<string, float[]> Load(string path)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return vectors;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            string text = reader.ReadString();
            var vector = new float[reader.ReadInt32()];
            for (int j = 0; j < vector.Length; j++)
            {
                vector[j] = reader.ReadSingle();
            }

            vectors[text] = vector;
        }

        return vectors;
    }
}
