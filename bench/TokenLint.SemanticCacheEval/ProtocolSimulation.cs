using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using TokenLint.Runtime;

namespace TokenLint.SemanticCacheEval;

/// <summary>One lookup of the protocol with what the study needs of it.</summary>
internal sealed record StudyQuestion(string Text, long Group, float[] Vector, string[] Pieces, float[] PieceVectors, QuestionText Parsed);

/// <summary>
/// Issue 13's protocol simulated outside the client (same counts as <see cref="QqpProtocol"/> with plain cosine and
/// the negation and literal guards), so a decision over per-candidate signals can be swept quickly. Each stored
/// candidate above <see cref="Floor"/>, nearest first (at most <see cref="TopK"/>), that passes the guards is offered to
/// the decision with its signals: cosine, <see cref="TokenAlignment.Signals"/>, and its place among the neighbours.
/// Rarity (IDF) of a word piece is counted over the questions stored so far, as a running cache would.
/// </summary>
internal sealed class ProtocolSimulation
{
    public const float Floor = 0.80f;
    public const int TopK = 4;

    /// <summary>Names of a candidate's signals, in order.</summary>
    public static readonly string[] Names = ["cos", .. TokenAlignment.Names, "rank", "gapTop", "dense", "margin", "sNear", "sDense", "cosMinusSNear"];

    private readonly List<StudyQuestion> _questions;
    private readonly List<(int Index, float Cosine)>[] _near;
    private readonly List<(int Index, float Cosine)>[] _around;

    public ProtocolSimulation(List<StudyQuestion> questions)
    {
        _questions = questions;

        // Earlier questions above the floor, nearest first (a run only filters these by what was stored), and every
        // question above the floor around each one (for the stored candidate's own neighbourhood).
        _near = new List<(int, float)>[questions.Count];
        _around = new List<(int, float)>[questions.Count];
        for (int i = 0; i < questions.Count; i++)
        {
            _around[i] = [];
            var list = new List<(int, float)>();
            for (int j = 0; j < i; j++)
            {
                float c = TensorPrimitives.Dot(questions[i].Vector, questions[j].Vector);
                if (c >= Floor)
                {
                    list.Add((j, c));
                    _around[i].Add((j, c));
                    _around[j].Add((i, c));
                }
            }

            list.Sort((x, y) => y.Item2.CompareTo(x.Item2));
            _near[i] = list;
        }
    }

    /// <summary>
    /// Runs the protocol, serving the first candidate <paramref name="accept"/> takes. With <paramref name="rows"/>,
    /// also records the signals of up to eight earlier questions above the floor (stored or not) with whether they share
    /// the asker's group: training rows.
    /// </summary>
    /// <summary>False hits of the last run served by the asker's own pair partner (labelled not duplicate), with the two questions.</summary>
    public List<(string Asked, string Served)> OwnPairFalseHits { get; } = [];

    public QqpResult Run(
        Func<StudyQuestion, double[], bool> accept,
        List<(double[] X, bool Same, long AskGroup, long StoredGroup)>? rows)
    {
        var stored = new bool[_questions.Count];
        var exact = new Dictionary<string, long>(StringComparer.Ordinal);
        var storedGroups = new HashSet<long>();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        int documents = 0;
        double Idf(string piece) => Math.Log((documents + 1.0) / ((df.TryGetValue(piece, out int n) ? n : 0) + 1.0));
        var result = new QqpResult();
        OwnPairFalseHits.Clear();
        int pairs = _questions.Count / 2;
        for (int i = 0; i < _questions.Count; i++)
        {
            var q = _questions[i];
            bool answerable = storedGroups.Contains(q.Group);
            result.Lookups++;
            result.Answerable += answerable ? 1 : 0;
            long? served = null;
            int servedBy = -1;
            if (exact.TryGetValue(q.Text, out long g))
            {
                served = g;
            }
            else
            {
                var candidates = new List<(int Index, float Cosine)>();
                foreach (var (j, cos) in _near[i])
                {
                    if (stored[j] || rows is not null)
                    {
                        candidates.Add((j, cos));
                    }
                }

                int dense = candidates.Count(c => c.Cosine >= 0.85f);
                for (int rank = 0; rank < Math.Min(rows is null ? TopK : 8, candidates.Count); rank++)
                {
                    var (j, cos) = candidates[rank];
                    var s = _questions[j];
                    if (q.Parsed.Negated != s.Parsed.Negated || !q.Parsed.Literals.Order(StringComparer.Ordinal).SequenceEqual(s.Parsed.Literals.Order(StringComparer.Ordinal)))
                    {
                        continue;
                    }

                    double next = rank + 1 < candidates.Count ? candidates[rank + 1].Cosine : Floor;
                    double sNear = 0.8;
                    int sDense = 0;
                    foreach (var (k, c) in _around[j])
                    {
                        if (k != i && stored[k] && k != j)
                        {
                            sNear = Math.Max(sNear, c);
                            sDense += c >= 0.85f ? 1 : 0;
                        }
                    }

                    double[] x = [cos, .. TokenAlignment.Signals(q, s, Idf), rank, candidates[0].Cosine - cos, dense, cos - next, sNear, sDense, cos - sNear];
                    rows?.Add((x, s.Group == q.Group, q.Group, s.Group));
                    if (served is null && stored[j] && accept(q, x))
                    {
                        served = s.Group;
                        servedBy = j;
                        if (rows is null)
                        {
                            break;
                        }
                    }
                }
            }

            if (served is null)
            {
                stored[i] = true;
                exact[q.Text] = q.Group;
                storedGroups.Add(q.Group);
                documents++;
                foreach (string piece in q.Pieces.Distinct())
                {
                    df[piece] = df.TryGetValue(piece, out int n) ? n + 1 : 1;
                }
            }
            else if (served == q.Group)
            {
                result.CorrectHits++;
            }
            else
            {
                result.FalseHits++;
                if (servedBy >= 0 && Math.Abs(servedBy - i) == pairs)
                {
                    OwnPairFalseHits.Add((q.Text, _questions[servedBy].Text));
                }
            }
        }

        return result;
    }
}
