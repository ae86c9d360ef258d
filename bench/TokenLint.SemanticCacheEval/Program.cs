using System;
using System.Globalization;
using System.IO;
using System.Linq;
using TokenLint.Embeddings.MiniLM;
using TokenLint.Runtime;
using TokenLint.SemanticCacheEval;

// Usage: dotnet run -c Release [pairs.jsonl] [--tune | --tokens | --dump | --memory]
string pairsPath = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
    ?? Path.Combine("..", "..", "..", "shared", "data", "qqp-dev.jsonl");
string cachePath = Path.Combine(Path.GetTempPath(), "tokenlint-qqp-minilm.bin");
var pairs = QqpPair.Load(pairsPath);
var miniLm = new MiniLmEmbeddingGenerator();
using var embeddings = new EmbeddingFileCache(miniLm, cachePath);
await embeddings.WarmAsync(pairs.Select(p => SemanticCacheChatClient.Normalize(p.A)).Concat(pairs.Select(p => SemanticCacheChatClient.Normalize(p.B))));
Console.WriteLine($"{pairs.Count} pairs from {pairsPath}; all-MiniLM-L6-v2");

if (args.Contains("--memory"))
{
    // Retained bytes per entry of the in-process store: 10,000 questions of 384 dimensions, one shared response.
    var response = new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "group 1"));
    var texts = pairs.Select(p => p.A).Distinct().Take(10_000).ToList();
    long before = GC.GetTotalMemory(forceFullCollection: true);
    using var store = new InMemorySemanticCacheStore(10_000);
    var now = DateTimeOffset.UtcNow;
    for (int i = 0; i < texts.Count; i++)
    {
        await store.SetAsync(new SemanticCacheEntry("p", "exact-key-" + i.ToString("x32", CultureInfo.InvariantCulture), texts[i], embeddings.Get(SemanticCacheChatClient.Normalize(texts[i])), response, now, now.AddHours(1)));
    }

    long after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine(FormattableString.Invariant($"{texts.Count} entries: {(after - before) / texts.Count:N0} bytes retained per entry (vector, question, key, index; the response shared)"));
    GC.KeepAlive(store);
    return;
}

if (args.Contains("--tokens"))
{
    TokenAlignmentStudy.Run(pairs, embeddings, Path.Combine(Path.GetTempPath(), "tokenlint-qqp-minilm-tokens.bin"));
    return;
}

if (args.Contains("--dump"))
{
    CandidateDump.Write(pairs, embeddings, Path.Combine(Path.GetTempPath(), "tokenlint-qqp-candidates.tsv"), 0.90f);
    return;
}

var defaults = new SemanticCacheOptions();
double[] thresholds = [0.86, 0.88, 0.90, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98];
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

Console.WriteLine($"Guards: {defaults.Guards} (the default)");
foreach (double threshold in thresholds.Append(defaults.SimilarityThreshold).Distinct().Order())
{
    var r = await QqpProtocol.RunAsync(pairs, embeddings, o => o.SimilarityThreshold = threshold);
    Console.WriteLine(FormattableString.Invariant($"  threshold {threshold:0.00}{(threshold == defaults.SimilarityThreshold ? " (default)" : "")}: {r}"));
}

Console.WriteLine("At the default threshold, each guard switched in turn:");
foreach (var guard in new[] { SemanticCacheGuards.Negation, SemanticCacheGuards.Literals, SemanticCacheGuards.ContentWords })
{
    var guards = defaults.Guards ^ guard;
    var r = await QqpProtocol.RunAsync(pairs, embeddings, o => o.Guards = guards);
    Console.WriteLine($"  {((guards & guard) != 0 ? "with" : "without")} {guard}: {r}");
}

Console.WriteLine("Plain cosine (no guards), for comparison:");
foreach (double threshold in new[] { 0.90, 0.94, 0.95, 0.96 })
{
    var r = await QqpProtocol.RunAsync(pairs, embeddings, o => { o.SimilarityThreshold = threshold; o.Guards = SemanticCacheGuards.None; });
    Console.WriteLine(FormattableString.Invariant($"  threshold {threshold:0.00}: {r}"));
}
