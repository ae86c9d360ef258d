using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Tests.SemanticCache;

/// <summary>
/// Deterministic embeddings for cache tests: a text given a vector gets it; any other text gets a unit vector made
/// from its hash (different texts are far apart). Counts its calls and can fail.
/// </summary>
internal sealed class FakeEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public Exception? Failure { get; set; }

    /// <summary>Gives each text the same vector: they mean the same to this generator.</summary>
    public FakeEmbeddingGenerator Alike(params string[] texts)
    {
        float[] vector = HashVector(texts[0]);
        foreach (string text in texts)
        {
            _vectors[text] = vector;
        }

        return this;
    }

    /// <summary>Gives <paramref name="text"/> a vector at cosine <paramref name="similarity"/> from <paramref name="other"/>'s.</summary>
    public FakeEmbeddingGenerator Near(string text, string other, float similarity)
    {
        float[] a = Vector(other);
        float[] b = HashVector("orthogonal:" + other);
        float dot = a.Zip(b, (x, y) => x * y).Sum();
        float[] orthogonal = b.Zip(a, (y, x) => y - (dot * x)).ToArray();
        float norm = MathF.Sqrt(orthogonal.Sum(v => v * v));
        float sine = MathF.Sqrt(1 - (similarity * similarity));
        _vectors[text] = a.Zip(orthogonal, (x, o) => (similarity * x) + (sine * o / norm)).ToArray();
        return this;
    }

    public float[] Vector(string text) => _vectors.TryGetValue(text, out var v) ? v : _vectors[text] = HashVector(text);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (Failure is not null)
        {
            throw Failure;
        }

        lock (_vectors)
        {
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Vector(v)))));
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static float[] HashVector(string text)
    {
        var random = new Random(StringComparer.Ordinal.GetHashCode(text) ^ text.Length);
        float[] vector = Enumerable.Range(0, 32).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }
}
