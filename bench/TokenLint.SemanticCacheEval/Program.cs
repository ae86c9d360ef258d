using System;
using System.Globalization;
using System.IO;
using System.Linq;
using TokenLint.Embeddings.MiniLM;
using TokenLint.Runtime;
using TokenLint.SemanticCacheEval;

// Usage: dotnet run -c Release [pairs.jsonl] [--tune]
string pairsPath = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
    ?? Path.Combine("..", "..", "..", "shared", "data", "qqp-dev.jsonl");
string cachePath = Path.Combine(Path.GetTempPath(), "tokenlint-qqp-minilm.bin");
var pairs = QqpPair.Load(pairsPath);
var miniLm = new MiniLmEmbeddingGenerator();
using var embeddings = new EmbeddingFileCache(miniLm, cachePath);
await embeddings.WarmAsync(pairs.Select(p => SemanticCacheChatClient.Normalize(p.A)).Concat(pairs.Select(p => SemanticCacheChatClient.Normalize(p.B))));
Console.WriteLine($"{pairs.Count} pairs from {pairsPath}; all-MiniLM-L6-v2");

var defaults = new SemanticCacheOptions();
double[] thresholds = [0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 0.96];
if (args.Contains("--tune"))
{
    foreach (double penalty in new[] { 0.0, 0.002, 0.004, 0.006, 0.008, 0.010, 0.014 })
    {
        foreach (double threshold in thresholds)
        {
            var r = await QqpProtocol.RunAsync(pairs, embeddings, o =>
            {
                o.SimilarityThreshold = threshold;
                o.RarityPenalty = penalty;
                o.CountEmbeddingTokens = miniLm.CountTokens;
            });
            Console.WriteLine(FormattableString.Invariant($"penalty {penalty:0.000} threshold {threshold:0.00}: {r}"));
        }
    }

    return;
}

Console.WriteLine("Guards: all (the default)");
foreach (double threshold in thresholds.Append(defaults.SimilarityThreshold).Distinct().Order())
{
    var r = await QqpProtocol.RunAsync(pairs, embeddings, o => o.SimilarityThreshold = threshold);
    Console.WriteLine(FormattableString.Invariant($"  threshold {threshold:0.00}{(threshold == defaults.SimilarityThreshold ? " (default)" : "")}: {r}"));
}

Console.WriteLine("At the default threshold, each guard off in turn:");
foreach (var guard in new[] { SemanticCacheGuards.Negation, SemanticCacheGuards.Literals, SemanticCacheGuards.ContentWords })
{
    var r = await QqpProtocol.RunAsync(pairs, embeddings, o => o.Guards = SemanticCacheGuards.All & ~guard);
    Console.WriteLine($"  without {guard}: {r}");
}

Console.WriteLine("Plain cosine (no guards), for comparison:");
foreach (double threshold in new[] { 0.90, 0.94, 0.95, 0.96 })
{
    var r = await QqpProtocol.RunAsync(pairs, embeddings, o => { o.SimilarityThreshold = threshold; o.Guards = SemanticCacheGuards.None; });
    Console.WriteLine(FormattableString.Invariant($"  threshold {threshold:0.00}: {r}"));
}
