using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenLint.Runtime;

/// <summary>
/// Decides whether a stored question answers a new one: its similarity, less a penalty for the rare content words
/// one has and the other lacks, must reach the threshold; a negation on one side only, or literals that differ,
/// refuse it outright.
/// </summary>
internal sealed class QuestionMatcher(double threshold, SemanticCacheGuards guards)
{
    /// <summary>Similarity taken off per unit of rarity of a content word present on one side only.</summary>
    internal double RarityPenalty { get; init; } = 0.004;

    public WordRarity Rarity { get; } = new();

    /// <summary>The first candidate, nearest first, that answers <paramref name="question"/>; null if none.</summary>
    public SemanticCacheMatch? Choose(string question, IReadOnlyList<SemanticCacheMatch> candidates)
    {
        if (candidates.Count == 0 || candidates[0].Similarity < threshold)
        {
            return null;
        }

        var asked = QuestionText.Parse(question);
        foreach (var candidate in candidates)
        {
            if (candidate.Similarity < threshold)
            {
                break;
            }

            if (Accepts(asked, QuestionText.Parse(candidate.Entry.Question), candidate.Similarity))
            {
                return candidate;
            }
        }

        return null;
    }

    internal bool Accepts(QuestionText asked, QuestionText stored, double similarity)
    {
        if ((guards & SemanticCacheGuards.Negation) != 0 && asked.Negated != stored.Negated)
        {
            return false;
        }

        if ((guards & SemanticCacheGuards.Literals) != 0 && !asked.Literals.Order(StringComparer.Ordinal).SequenceEqual(stored.Literals.Order(StringComparer.Ordinal)))
        {
            return false;
        }

        if ((guards & SemanticCacheGuards.ContentWords) != 0)
        {
            similarity -= RarityPenalty * UnsharedRarity(asked, stored);
        }

        return similarity >= threshold;
    }

    /// <summary>The summed rarity of the content words in one question and not the other.</summary>
    internal double UnsharedRarity(QuestionText a, QuestionText b)
    {
        var left = new HashSet<string>(a.Words.Where(QuestionText.IsContentWord), StringComparer.Ordinal);
        var right = new HashSet<string>(b.Words.Where(QuestionText.IsContentWord), StringComparer.Ordinal);
        double total = 0;
        foreach (string word in left)
        {
            if (!right.Contains(word))
            {
                total += Rarity.Weight(word);
            }
        }

        foreach (string word in right)
        {
            if (!left.Contains(word))
            {
                total += Rarity.Weight(word);
            }
        }

        return total;
    }

    /// <summary>Counts a stored question's words towards their rarity.</summary>
    public void Learn(string question) => Rarity.Add(QuestionText.Parse(question).Words.Where(QuestionText.IsContentWord));
}
