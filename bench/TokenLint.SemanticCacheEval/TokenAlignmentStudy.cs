using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TokenLint.Runtime;

namespace TokenLint.SemanticCacheEval;

/// <summary>
/// --tokens: whether token-level alignment from the same MiniLM model (BERTScore-style matching of word pieces, and
/// content words left unmatched) or the neighbourhood of a candidate decides better than cosine. Each learned
/// decision is cross-validated by question group: a fold's model is fitted on no candidate whose asking or stored
/// question belongs to one of the fold's groups, and the curve is the protocol run with each lookup decided by the
/// model of its fold.
/// </summary>
internal static class TokenAlignmentStudy
{
    private const int Folds = 5;

    private static readonly double[] Cutoffs = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9];

    public static void Run(IReadOnlyList<QqpPair> pairs, EmbeddingFileCache embeddings, string tokenCachePath)
    {
        var order = pairs.Select(p => (Text: p.A, Group: p.AGroup)).Concat(pairs.Select(p => (Text: p.B, Group: p.BGroup)))
            .Select(t => (Text: SemanticCacheChatClient.Normalize(t.Text), t.Group)).ToList();
        var tokens = TokenVectorFile.Load(order.Select(o => o.Text).Distinct().ToList(), tokenCachePath);
        var questions = order.Select(o => new StudyQuestion(o.Text, o.Group, embeddings.Get(o.Text), tokens[o.Text].Pieces, tokens[o.Text].Vectors, QuestionText.Parse(o.Text))).ToList();
        var simulation = new ProtocolSimulation(questions);

        Console.WriteLine("Cosine with the negation and literal guards (the shipped decision), simulated:");
        foreach (double t in new[] { 0.92, 0.93, 0.94, 0.95, 0.96 })
        {
            var r = simulation.Run((_, x) => x[0] >= t, rows: null);
            Console.WriteLine(FormattableString.Invariant($"  cosine {t:0.00}: {r}; {simulation.OwnPairFalseHits.Count} of the false hits by the asker's own pair (labelled not duplicate)"));
        }

        foreach (var (asked, served) in simulation.OwnPairFalseHits.Take(5))
        {
            Console.WriteLine($"    e.g. \"{asked}\" served by \"{served}\"");
        }

        Console.WriteLine(FormattableString.Invariant($"Rule: cosine >= 0.95, or cosine >= low with every content word's best match >= bar:"));
        foreach (double low in new[] { 0.88, 0.90, 0.92 })
        {
            foreach (double bar in new[] { 0.7, 0.8, 0.9 })
            {
                var r = simulation.Run((_, x) => x[0] >= 0.95 || (x[0] >= low && x[4] >= bar), rows: null);
                Console.WriteLine(FormattableString.Invariant($"  low {low:0.00} bar {bar:0.0}: {r}"));
            }
        }

        var rows = new List<(double[] X, bool Same, long AskGroup, long StoredGroup)>();
        simulation.Run((_, x) => x[0] >= SemanticCacheOptions.DefaultSimilarityThreshold, rows);
        Console.WriteLine($"{rows.Count} training rows (candidates above {ProtocolSimulation.Floor} passing the guards), {rows.Count(r => r.Same)} of the asker's group");

        string[] names = ProtocolSimulation.Names;
        var featureSets = new (string Name, int[] Signals, bool Trees)[]
        {
            ("cosine alone", [0], true),
            ("cosine + BERTScore", [0, 1, 2, 3], false),
            ("cosine + unmatched content words", [0, 4, 5, 6, 7], true),
            ("cosine + query-side neighbourhood", [0, 10, 11, 12, 13], false),
            ("cosine + both neighbourhoods", [0, 12, 13, 14, 15, 16], true),
            ("everything", Enumerable.Range(0, names.Length).ToArray(), true),
        };
        foreach (var (name, set, trees) in featureSets)
        {
            Console.WriteLine($"{name} ({string.Join(", ", set.Select(k => names[k]))}), cross-validated by group:");
            var logistic = FitFolds(rows, set, (xs, ys) => LogisticModel.Fit(xs, ys, 1e-3));
            PrintCurve(simulation, "logistic regression", set, (f, x) => logistic[f].Probability(x));
            if (trees)
            {
                var boosted = FitFolds(rows, set, (xs, ys) => BoostedTrees.Fit(xs, ys));
                PrintCurve(simulation, "150 boosted depth-2 trees", set, (f, x) => boosted[f].Probability(x));
            }
        }

        MeasureEncoding(questions);
    }

    private static T[] FitFolds<T>(List<(double[] X, bool Same, long AskGroup, long StoredGroup)> rows, int[] set, Func<List<double[]>, List<bool>, T> fit)
    {
        var models = new T[Folds];
        for (int f = 0; f < Folds; f++)
        {
            var train = rows.Where(r => Fold(r.AskGroup) != f && Fold(r.StoredGroup) != f).ToList();
            models[f] = fit(train.Select(r => set.Select(k => r.X[k]).ToArray()).ToList(), train.Select(r => r.Same).ToList());
        }

        return models;
    }

    private static void PrintCurve(ProtocolSimulation simulation, string model, int[] set, Func<int, double[], double> probability)
    {
        Console.WriteLine($"  {model}:");
        foreach (double cutoff in Cutoffs)
        {
            var r = simulation.Run((q, x) => probability(Fold(q.Group), set.Select(k => x[k]).ToArray()) >= cutoff, rows: null);
            Console.WriteLine(FormattableString.Invariant($"    p >= {cutoff:0.00}: {r}"));
        }
    }

    /// <summary>What a candidate check would cost: one model run over the question and three stored candidates.</summary>
    private static void MeasureEncoding(List<StudyQuestion> questions)
    {
        using var encoder = new MiniLmTokenEncoder();
        encoder.Encode([questions[0].Text]);
        var clock = Stopwatch.StartNew();
        const int Checks = 200;
        for (int i = 0; i < Checks; i++)
        {
            encoder.Encode([questions[4 * i].Text, questions[(4 * i) + 1].Text, questions[(4 * i) + 2].Text, questions[(4 * i) + 3].Text]);
        }

        Console.WriteLine(FormattableString.Invariant($"Token encoding of 4 questions (a lookup and 3 candidates): {clock.Elapsed.TotalMilliseconds / Checks:0.0} ms per check, {Checks / clock.Elapsed.TotalSeconds:0} checks/s"));
    }

    private static int Fold(long group) => (int)((unchecked((ulong)group * 0x9E3779B97F4A7C15UL) >> 32) % Folds);
}
