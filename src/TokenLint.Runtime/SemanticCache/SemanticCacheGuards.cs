using System;

namespace TokenLint.Runtime;

/// <summary>
/// Checks a stored question must pass, besides its similarity, to answer a new one: the known shapes of a close
/// neighbour that asks something else. Each costs some hits; the README has what each cost on the QQP dev slice.
/// </summary>
[Flags]
public enum SemanticCacheGuards
{
    /// <summary>Similarity alone.</summary>
    None = 0,

    /// <summary>A negation (not, no, never, without, n't, ...) in one question and not the other.</summary>
    Negation = 1,

    /// <summary>Numbers, amounts, dates or quoted strings that differ.</summary>
    Literals = 2,

    /// <summary>
    /// Rare words of one question missing from the other, weighted by how rare they are among the questions the cache
    /// has seen: "cancel my card" against "close my investment account".
    /// </summary>
    ContentWords = 4,

    /// <summary>Every guard.</summary>
    All = Negation | Literals | ContentWords,
}
