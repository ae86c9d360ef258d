using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenLint.Analysis.Catalog;

/// <summary>
/// Decides whether an unknown model id is a misspelling of a known one. Cautious by design: new models appear
/// every month, so an id that differs from a known one in its version digits ("gpt-5.2"), or only extends or
/// shortens it ("gpt-4" beside "gpt-4o", "o3-pro" beside "o3"), is taken for a different model, not a typo.
/// </summary>
public static class ModelIdSpelling
{
    /// <summary>
    /// The known id that <paramref name="id"/> most likely misspells, or null. Case differences count as a
    /// misspelling (wire ids are lower case); otherwise at most 1 edit for ids under 10 characters and 2 above,
    /// with the same digits in the same order, and exactly one best candidate.
    /// </summary>
    public static string? SuggestCorrection(string id, IEnumerable<string> knownIds)
    {
        string lower = id.ToLowerInvariant();
        int allowed = id.Length < 10 ? 1 : 2;
        string digits = Digits(id);
        string? best = null;
        int bestDistance = int.MaxValue;
        bool tie = false;
        foreach (var candidate in knownIds.Distinct(StringComparer.Ordinal))
        {
            if (candidate == id)
            {
                return null;
            }

            string candidateLower = candidate.ToLowerInvariant();
            if (candidateLower == lower)
            {
                return candidate;
            }

            if (Digits(candidate) != digits
                || candidateLower.StartsWith(lower, StringComparison.Ordinal)
                || lower.StartsWith(candidateLower, StringComparison.Ordinal))
            {
                continue;
            }

            int distance = Distance(lower, candidateLower, allowed);
            if (distance > allowed)
            {
                continue;
            }

            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
                tie = false;
            }
            else if (distance == bestDistance && !SameModel(best, candidate))
            {
                tie = true;
            }
        }

        return tie ? null : best;
    }

    private static bool SameModel(string? a, string b) => a is not null && (ModelCatalog.StripVersionSuffix(b) == a || ModelCatalog.StripVersionSuffix(a) == b);

    private static string Digits(string value) => new(value.Where(char.IsDigit).ToArray());

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions), cut off above
    /// <paramref name="limit"/>.</summary>
    internal static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previousPrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowMinimum = current[0];
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previousPrevious[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            if (rowMinimum > limit)
            {
                return limit + 1;
            }

            (previousPrevious, previous, current) = (previous, current, previousPrevious);
        }

        return previous[b.Length];
    }
}
