using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using TokenLint.Embeddings.MiniLM;
using TokenLint.Runtime;

namespace TokenLint.SemanticCacheEval;

/// <summary>
/// BERTScore-style signals between two questions from their word-piece vectors: each piece greedily matched to its
/// most similar piece in the other question, weighted by rarity (precision, recall, F1), and the content words of
/// either side whose best match stays low (a concept the other question does not have).
/// </summary>
internal static class TokenAlignment
{
    /// <summary>The similarity under which a content word counts as unmatched.</summary>
    public const double UnmatchedBar = 0.6;

    /// <summary>Names of <see cref="Signals"/>' values, in order.</summary>
    public static readonly string[] Names = ["P", "R", "F", "minWord", "secondWord", "unmatched", "unmatchedIdf", "plainF", "lenRatio"];

    public static double[] Signals(StudyQuestion q, StudyQuestion s, Func<string, double> idf)
    {
        const int D = MiniLmEmbeddingGenerator.Dimensions;
        int n = q.Pieces.Length, m = s.Pieces.Length;
        var sim = new float[n * m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                sim[(i * m) + j] = TensorPrimitives.Dot(q.PieceVectors.AsSpan(i * D, D), s.PieceVectors.AsSpan(j * D, D));
            }
        }

        var bestQ = new float[n];
        var bestS = new float[m];
        Array.Fill(bestQ, -1f);
        Array.Fill(bestS, -1f);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                bestQ[i] = Math.Max(bestQ[i], sim[(i * m) + j]);
                bestS[j] = Math.Max(bestS[j], sim[(i * m) + j]);
            }
        }

        (double weighted, double plain) Score(string[] pieces, float[] best)
        {
            double num = 0, den = 0, sum = 0;
            for (int i = 0; i < pieces.Length; i++)
            {
                double w = idf(pieces[i]);
                num += w * best[i];
                den += w;
                sum += best[i];
            }

            return (den > 0 ? num / den : 1, pieces.Length > 0 ? sum / pieces.Length : 1);
        }

        var (r, rPlain) = Score(q.Pieces, bestQ);
        var (p, pPlain) = Score(s.Pieces, bestS);
        var words = new List<(double Best, double Idf)>();
        AddWords(q.Pieces, bestQ, idf, words);
        AddWords(s.Pieces, bestS, idf, words);
        words.Sort((a, b) => a.Best.CompareTo(b.Best));
        double min = words.Count > 0 ? words[0].Best : 1;
        double second = words.Count > 1 ? words[1].Best : 1;
        int unmatched = words.Count(w => w.Best < UnmatchedBar);
        double unmatchedIdf = words.Where(w => w.Best < UnmatchedBar).Sum(w => w.Idf);
        return [p, r, 2 * p * r / (p + r), min, second, unmatched, unmatchedIdf, 2 * pPlain * rPlain / (pPlain + rPlain), (double)Math.Min(n, m) / Math.Max(n, m)];
    }

    /// <summary>Whole content words (word pieces joined), each with the mean of its pieces' best match and its pieces' summed rarity.</summary>
    private static void AddWords(string[] pieces, float[] best, Func<string, double> idf, List<(double, double)> words)
    {
        for (int i = 0; i < pieces.Length;)
        {
            int end = i + 1;
            while (end < pieces.Length && pieces[end].StartsWith("##", StringComparison.Ordinal))
            {
                end++;
            }

            string word = string.Concat(pieces[i..end].Select(x => x.TrimStart('#')));
            if (word.Length > 0 && char.IsLetterOrDigit(word[0]) && QuestionText.IsContentWord(QuestionText.Singular(word)))
            {
                double b = 0, w = 0;
                for (int k = i; k < end; k++)
                {
                    b += best[k];
                    w += idf(pieces[k]);
                }

                words.Add((b / (end - i), w));
            }

            i = end;
        }
    }

}
