using Microsoft.Extensions.AI;

namespace SupportAgent.Offline;

/// <summary>
/// A stand-in embedding model for the offline run: a question's content words hashed into 256 dimensions, so two
/// wordings with the same content words are alike. Real deployments use a sentence model, e.g.
/// TokenLint.Embeddings.MiniLM's MiniLmEmbeddingGenerator; this one keeps the sample small and instant.
/// </summary>
internal sealed class KeywordEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly HashSet<string> FunctionWords =
        ["a", "an", "the", "how", "what", "do", "does", "is", "are", "you", "your", "my", "i", "me", "to", "of", "after", "once", "it", "can", "be"];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)))));

    private static float[] Embed(string text)
    {
        var vector = new float[256];
        foreach (string word in text.ToLowerInvariant().Split([' ', ',', '?', '.', '!'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!FunctionWords.Contains(word))
            {
                // Singular and plural alike; a stable hash (string.GetHashCode differs between runs).
                string stem = word.EndsWith('s') ? word[..^1] : word;
                vector[stem.Aggregate(17u, (h, c) => (h * 31) + c) % 256] += 1;
            }
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
