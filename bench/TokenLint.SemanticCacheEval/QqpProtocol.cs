using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.Runtime;

namespace TokenLint.SemanticCacheEval;

/// <summary>
/// Issue 13's protocol: one client (UseSemanticCache over a provider stub), one fixed system prompt; every a, then
/// every b, in file order. The stub answers with the asking question's group; a served answer is a correct hit when it
/// names the asker's group, else a false hit. A lookup is answerable when an answer of its group was stored before it.
/// </summary>
internal static class QqpProtocol
{
    private const string SystemPrompt = "You answer questions from a community Q&A site.";

    public static async Task<QqpResult> RunAsync(
        IReadOnlyList<QqpPair> pairs, IEmbeddingGenerator<string, Embedding<float>> embeddings, Action<SemanticCacheOptions> configure)
    {
        var groups = new Dictionary<string, long>(StringComparer.Ordinal);
        var asked = new List<(string Question, long Group)>(pairs.Count * 2);
        foreach (var pair in pairs)
        {
            asked.Add((pair.A, pair.AGroup));
        }

        foreach (var pair in pairs)
        {
            asked.Add((pair.B, pair.BGroup));
        }

        foreach (var (question, group) in asked)
        {
            groups[question] = group;
        }

        var provider = new GroupNamingProvider(groups);
        using var client = new ChatClientBuilder(provider).UseSemanticCache(embeddings, configure).Build();
        var storedGroups = new HashSet<long>();
        var result = new QqpResult();
        foreach (var (question, group) in asked)
        {
            bool answerable = storedGroups.Contains(group);
            long callsBefore = provider.Calls;
            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, question)]);
            result.Lookups++;
            result.Answerable += answerable ? 1 : 0;
            if (provider.Calls > callsBefore)
            {
                storedGroups.Add(group);
                continue;
            }

            long servedGroup = long.Parse(response.Text.AsSpan("group ".Length), CultureInfo.InvariantCulture);
            if (servedGroup == group)
            {
                result.CorrectHits++;
            }
            else
            {
                result.FalseHits++;
                result.FalseExamples.Add((question, (response.AdditionalProperties?.TryGetValue(SemanticCacheChatClient.SimilarityKey, out object? similarity) == true ? similarity?.ToString() : null) ?? "exact"));
            }
        }

        return result;
    }

    /// <summary>The provider stub: answers with a text naming the question's group.</summary>
    private sealed class GroupNamingProvider(Dictionary<string, long> groups) : IChatClient
    {
        private long _calls;

        public long Calls => Interlocked.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            string question = System.Linq.Enumerable.Last(messages).Text;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, FormattableString.Invariant($"group {groups[question]}")))
            {
                ModelId = "gpt-4o-mini",
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 40, OutputTokenCount = 120, TotalTokenCount = 160 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

/// <summary>Counts of one protocol run.</summary>
internal sealed class QqpResult
{
    public int Lookups { get; set; }

    public int Answerable { get; set; }

    public int CorrectHits { get; set; }

    public int FalseHits { get; set; }

    public List<(string Question, string Similarity)> FalseExamples { get; } = [];

    /// <summary>Correct hits over answerable lookups.</summary>
    public double HitRate => (double)CorrectHits / Answerable;

    /// <summary>False hits over all lookups.</summary>
    public double FalseHitRate => (double)FalseHits / Lookups;

    public override string ToString() => FormattableString.Invariant(
        $"hits {HitRate:P1} of {Answerable} answerable, false {FalseHitRate:P2} of {Lookups} ({CorrectHits} correct, {FalseHits} false)");
}
