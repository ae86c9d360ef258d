using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using TokenLint.Embeddings.MiniLM;
using TokenLint.Runtime;

namespace TokenLint.Benchmarks;

/// <summary>
/// The semantic cache: one lookup in the in-process store (exact scan of one partition of 384-dimension vectors,
/// the embedding excluded; goal: median under 2 ms at 10,000 entries), the store's memory per entry (allocated to
/// fill 1,000 entries, divided by 1,000), and the end-to-end hit path through UseSemanticCache with MiniLM (a question
/// in other words: one embedding, one lookup, the guards).
/// Run: <c>dotnet run -c Release -- --filter '*SemanticCacheBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentilesConfig))]
public class SemanticCacheBenchmarks
{
    private const int Dimensions = 384;
    private InMemorySemanticCacheStore _store = null!;
    private float[][] _queries = null!;
    private SemanticCacheEntry[] _thousand = null!;
    private IChatClient _cached = null!;
    private int _next;

    [Params(1_000, 10_000, 100_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Open Settings, then Cards, then Cancel."));
        _store = new InMemorySemanticCacheStore(Entries);
        for (int i = 0; i < Entries; i++)
        {
            _store.SetAsync(new SemanticCacheEntry("p", "k" + i, "question " + i, RandomVector(random), response, now, now.AddDays(1))).AsTask().GetAwaiter().GetResult();
        }

        _queries = Enumerable.Range(0, 64).Select(_ => RandomVector(random)).ToArray();
        _thousand = Enumerable.Range(0, 1_000)
            .Select(i => new SemanticCacheEntry("p", "k" + i, "How do I cancel card number " + i + "?", RandomVector(random), response, now, now.AddDays(1)))
            .ToArray();

        var provider = new ChatClientBuilder(new RuntimeBenchmarks.NoOpChatClient());
        _cached = provider.UseSemanticCache(new MiniLmEmbeddingGenerator(), o => o.PartitionKey = (_, _) => "tenant").Build();
        _cached.GetResponseAsync([new ChatMessage(ChatRole.User, "How do I cancel my credit card?")]).GetAwaiter().GetResult();
        if (EndToEndHitWithMiniLm().GetAwaiter().GetResult().AdditionalProperties?[SemanticCacheChatClient.HitKey] as string != "semantic")
        {
            throw new InvalidOperationException("The end-to-end benchmark must measure a hit by meaning.");
        }
    }

    [Benchmark]
    public Task<System.Collections.Generic.IReadOnlyList<SemanticCacheMatch>> Lookup() =>
        _store.SearchAsync("p", _queries[_next++ & 63], 4).AsTask();

    /// <summary>Allocated bytes / 1,000 = memory per entry (vector, entry, index), the response shared.</summary>
    [Benchmark]
    public async Task<int> Fill1000Entries()
    {
        using var store = new InMemorySemanticCacheStore(1_000);
        foreach (var entry in _thousand)
        {
            await store.SetAsync(entry);
        }

        return store.Count;
    }

    [Benchmark]
    public Task<ChatResponse> EndToEndHitWithMiniLm() =>
        _cached.GetResponseAsync([new ChatMessage(ChatRole.User, "How can I cancel my credit card?")]);

    private static float[] RandomVector(Random random)
    {
        var vector = new float[Dimensions];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() - 0.5);
        }

        return vector;
    }

    private sealed class PercentilesConfig : ManualConfig
    {
        public PercentilesConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
    }
}
