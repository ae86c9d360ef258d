using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Diagnostics;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>Settings of a <see cref="SemanticCacheChatClient"/>.</summary>
public sealed class SemanticCacheOptions
{
    /// <summary>
    /// The default <see cref="SimilarityThreshold"/>, chosen on the QQP dev slice with all-MiniLM-L6-v2 and the default
    /// guards (bench/TokenLint.SemanticCacheEval) to keep wrong answers under 1% of lookups with a margin: 0.67% of
    /// lookups served a wrong answer, 26.6% of answerable lookups a right one (0.94: 0.93% and 30.1%).
    /// </summary>
    public const double DefaultSimilarityThreshold = 0.95;

    /// <summary>
    /// The cosine similarity, from -1 to 1, from which a stored question may answer a new one; the guards can still
    /// refuse. Higher serves fewer wrong answers and fewer right ones: the README has the measured curve.
    /// </summary>
    public double SimilarityThreshold { get; set; } = DefaultSimilarityThreshold;

    /// <summary>
    /// Checks a close neighbour must pass besides the threshold: negation and literals by default. The content-word
    /// guard is off by default: on the QQP dev slice it served no more right answers than a higher threshold at the
    /// same rate of wrong ones.
    /// </summary>
    public SemanticCacheGuards Guards { get; set; } = SemanticCacheGuards.Negation | SemanticCacheGuards.Literals;

    /// <summary>Similarity taken off per unit of rarity of a content word one question has and the other lacks (the content-word guard).</summary>
    internal double RarityPenalty { get; set; } = 0.004;

    /// <summary>How long an answer is served, counted from when it was stored; a hit does not extend it.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Answers the default in-process store keeps; past it the oldest are evicted.</summary>
    public int Capacity { get; set; } = 10_000;

    /// <summary>Where answers are kept; null for an in-process <see cref="InMemorySemanticCacheStore"/> of <see cref="Capacity"/>.</summary>
    public ISemanticCacheStore? Store { get; set; }

    /// <summary>
    /// The caller's share of the cache, e.g. the tenant or user id from the request's
    /// <see cref="ChatOptions.AdditionalProperties"/>: an answer is never served to another partition. Null (the
    /// default) puts every caller of the client in one partition, which in a multi-tenant application serves one
    /// user's answers (or one user's prompt injection) to others; the client logs a warning once.
    /// </summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, string?>? PartitionKey { get; set; }

    /// <summary>
    /// Word pieces the embedding model reads (all-MiniLM-L6-v2: 256). A question longer than that is only served by
    /// an exact repeat: two long texts that share most of their words embed alike (two 308-piece texts that differ in their
    /// last words: cosine 0.97 with all-MiniLM-L6-v2).
    /// </summary>
    public int EmbeddingInputWindow { get; set; } = 256;

    /// <summary>
    /// Counts the embedding model's word pieces in a text, e.g. <c>MiniLmEmbeddingGenerator.CountTokens</c>. Null for
    /// an estimate that counts high (each word and each punctuation mark at least one piece, long words more).
    /// </summary>
    public Func<string, int>? CountEmbeddingTokens { get; set; }

    /// <summary>Stored neighbours looked at per lookup; the guards may pass over the nearest for the next one.</summary>
    public int Candidates { get; set; } = 4;

    /// <summary>Responses whose text is longer than this many characters are not stored (memory stays bounded).</summary>
    public int MaxResponseCharacters { get; set; } = 32_768;

    /// <summary>
    /// Whether requests with images, files or other non-text content may be cached (then only by an exact repeat,
    /// whose key hashes the content's bytes). Off by default.
    /// </summary>
    public bool AllowNonTextContent { get; set; }

    /// <summary>Prices the tokens a hit saved; <see cref="ModelPriceCatalog.BuiltIn"/> unless set.</summary>
    public ModelPriceCatalog Prices { get; set; } = ModelPriceCatalog.BuiltIn;

    /// <summary>The clock for time to live; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Counts hits, misses, bypasses and savings; read it to print them, or share one between clients.</summary>
    public SemanticCacheStatistics Statistics { get; set; } = new();

    /// <summary>Whether to publish <c>tokenlint.semantic_cache.*</c> metrics.</summary>
    public bool EmitMetrics { get; set; } = true;

    /// <summary>The metrics to publish to; null for the pipeline's <c>IMeterFactory</c> or the shared meter.</summary>
    public TokenLintMetrics? Metrics { get; set; }
}
