using System;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime;

/// <summary>One stored answer.</summary>
/// <param name="Partition">The request's partition: everything but the question, and the caller's partition key.</param>
/// <param name="ExactKey">The hash of the whole normalised request.</param>
/// <param name="Question">The last user message's text, as matched by meaning.</param>
/// <param name="Vector">The question's embedding; empty when the entry answers exact repeats only.</param>
/// <param name="Response">The provider's answer, with its usage.</param>
/// <param name="StoredAt">When it was written.</param>
/// <param name="ExpiresAt">When it stops being served (absolute; hits do not extend it).</param>
public sealed record SemanticCacheEntry(
    string Partition,
    string ExactKey,
    string Question,
    ReadOnlyMemory<float> Vector,
    ChatResponse Response,
    DateTimeOffset StoredAt,
    DateTimeOffset ExpiresAt);

/// <summary>A stored entry found near a question, with its cosine similarity.</summary>
public readonly record struct SemanticCacheMatch(SemanticCacheEntry Entry, float Similarity);
