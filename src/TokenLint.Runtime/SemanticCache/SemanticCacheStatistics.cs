using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace TokenLint.Runtime;

/// <summary>
/// What a semantic cache did: hits (exact, by meaning, or shared with an identical request in flight), misses,
/// bypasses by reason, responses not stored by reason, and the tokens and dollars its hits saved (the stored
/// response's usage at catalog prices). Thread-safe; <see cref="ToString"/> prints a summary.
/// </summary>
public sealed class SemanticCacheStatistics
{
    private readonly long[] _bypasses = new long[Enum.GetValues<SemanticCacheBypassReason>().Length];
    private long _exactHits;
    private long _semanticHits;
    private long _coalescedHits;
    private long _misses;
    private long _notStored;
    private long _inputTokensSaved;
    private long _outputTokensSaved;
    private long _microDollarsSaved;

    /// <summary>Requests answered by an exact repeat, without an embedding.</summary>
    public long ExactHits => Interlocked.Read(ref _exactHits);

    /// <summary>Requests answered by a stored question of the same meaning.</summary>
    public long SemanticHits => Interlocked.Read(ref _semanticHits);

    /// <summary>Requests that waited for an identical request in flight and shared its answer.</summary>
    public long CoalescedHits => Interlocked.Read(ref _coalescedHits);

    /// <summary>All hits.</summary>
    public long Hits => ExactHits + SemanticHits + CoalescedHits;

    /// <summary>Requests looked up and sent to the provider.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Provider answers not stored: tool calls, a finish reason other than stop, too long, or an unfinished stream.</summary>
    public long NotStored => Interlocked.Read(ref _notStored);

    /// <summary>Input tokens (prompt-cache reads and writes included) the hits did not send.</summary>
    public long InputTokensSaved => Interlocked.Read(ref _inputTokensSaved);

    /// <summary>Output tokens the hits did not pay for.</summary>
    public long OutputTokensSaved => Interlocked.Read(ref _outputTokensSaved);

    /// <summary>Dollars the hits saved, at catalog prices (hits of unpriced models count tokens only).</summary>
    public decimal DollarsSaved => Interlocked.Read(ref _microDollarsSaved) / 1_000_000m;

    /// <summary>Requests that went to the provider without a lookup, by reason.</summary>
    public IReadOnlyDictionary<SemanticCacheBypassReason, long> Bypasses =>
        Enum.GetValues<SemanticCacheBypassReason>().ToDictionary(r => r, r => Interlocked.Read(ref _bypasses[(int)r]));

    /// <summary>Hits over lookups (hits and misses).</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    internal void RecordHit(SemanticCacheHitKind kind, TokenCounts saved, decimal? dollars)
    {
        switch (kind)
        {
            case SemanticCacheHitKind.Exact:
                Interlocked.Increment(ref _exactHits);
                break;
            case SemanticCacheHitKind.Semantic:
                Interlocked.Increment(ref _semanticHits);
                break;
            default:
                Interlocked.Increment(ref _coalescedHits);
                break;
        }

        Interlocked.Add(ref _inputTokensSaved, saved.TotalInputTokens);
        Interlocked.Add(ref _outputTokensSaved, saved.OutputTokens);
        if (dollars is decimal d)
        {
            Interlocked.Add(ref _microDollarsSaved, (long)decimal.Round(d * 1_000_000m));
        }
    }

    internal void RecordMiss() => Interlocked.Increment(ref _misses);

    internal void RecordNotStored() => Interlocked.Increment(ref _notStored);

    internal void RecordBypass(SemanticCacheBypassReason reason) => Interlocked.Increment(ref _bypasses[(int)reason]);

    /// <summary>e.g. "semantic cache: 12 hits (3 exact, 9 by meaning, 0 shared), 30 misses, 2 bypassed (opted_out 2); saved 5,210 input and 1,300 output tokens, $0.0221".</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"semantic cache: {Hits:N0} hits ({ExactHits:N0} exact, {SemanticHits:N0} by meaning, {CoalescedHits:N0} shared), {Misses:N0} misses");
        var bypasses = Bypasses.Where(b => b.Value > 0).ToList();
        text.Append(CultureInfo.InvariantCulture, $", {bypasses.Sum(b => b.Value):N0} bypassed");
        if (bypasses.Count > 0)
        {
            text.Append(" (").AppendJoin(", ", bypasses.Select(b => FormattableString.Invariant($"{SemanticCacheMetricsTags.Reason(b.Key)} {b.Value:N0}"))).Append(')');
        }

        text.Append(CultureInfo.InvariantCulture,
            $"; saved {InputTokensSaved:N0} input and {OutputTokensSaved:N0} output tokens, ${DollarsSaved:0.######}");
        return text.ToString();
    }
}

/// <summary>How a hit was found.</summary>
internal enum SemanticCacheHitKind
{
    Exact,
    Semantic,
    Coalesced,
}

/// <summary>The metric tag values, fixed strings so the tags stay bounded.</summary>
internal static class SemanticCacheMetricsTags
{
    public static string Reason(SemanticCacheBypassReason reason) => reason switch
    {
        SemanticCacheBypassReason.OptedOut => "opted_out",
        SemanticCacheBypassReason.ConversationId => "conversation_id",
        SemanticCacheBypassReason.NonTextContent => "non_text_content",
        SemanticCacheBypassReason.EmbeddingError => "embedding_error",
        SemanticCacheBypassReason.StoreError => "store_error",
        _ => "partition_key_error",
    };

    public static string Hit(SemanticCacheHitKind kind) => kind switch
    {
        SemanticCacheHitKind.Exact => "exact",
        SemanticCacheHitKind.Semantic => "semantic",
        _ => "coalesced",
    };
}
