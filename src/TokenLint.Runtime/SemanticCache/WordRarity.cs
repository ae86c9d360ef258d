using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace TokenLint.Runtime;

/// <summary>
/// How rare each word is among the questions a cache has stored (inverse document frequency), learned as it goes:
/// nothing fitted to a data set, and a word the cache has never seen counts as rare. Bounded: past
/// <see cref="MaxWords"/> distinct words, new ones are not counted (and stay rare).
/// </summary>
internal sealed class WordRarity
{
    public const int MaxWords = 200_000;

    private readonly ConcurrentDictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private int _documents;

    public int Documents => Volatile.Read(ref _documents);

    public void Add(IEnumerable<string> words)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in words)
        {
            if (seen.Add(word) && (_documentFrequency.Count < MaxWords || _documentFrequency.ContainsKey(word)))
            {
                _documentFrequency.AddOrUpdate(word, 1, (_, n) => n + 1);
            }
        }

        Interlocked.Increment(ref _documents);
    }

    /// <summary>log((N + 1) / (df + 1)): 0 for a word in every question, about log N for an unseen one.</summary>
    public double Weight(string word)
    {
        int df = _documentFrequency.TryGetValue(word, out int n) ? n : 0;
        return Math.Log((Documents + 1.0) / (df + 1.0));
    }
}
