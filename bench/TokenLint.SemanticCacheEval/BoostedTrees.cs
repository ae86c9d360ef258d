using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenLint.SemanticCacheEval;

/// <summary>Gradient-boosted depth-2 trees with logistic loss; split points at feature quantiles.</summary>
internal sealed class BoostedTrees
{
    private readonly List<(int F1, double T1, int F2L, double T2L, int F2R, double T2R, double[] Leaves)> _trees = [];
    private double _bias;

    public double Probability(double[] x)
    {
        double z = _bias;
        foreach (var t in _trees)
        {
            z += t.Leaves[Leaf(t, x)];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    private static int Leaf((int F1, double T1, int F2L, double T2L, int F2R, double T2R, double[] Leaves) t, double[] x) =>
        x[t.F1] < t.T1 ? (x[t.F2L] < t.T2L ? 0 : 1) : (x[t.F2R] < t.T2R ? 2 : 3);

    public static BoostedTrees Fit(List<double[]> xs, List<bool> ys, int rounds = 150, double rate = 0.1)
    {
        int d = xs[0].Length;
        var cuts = Enumerable.Range(0, d).Select(k => Enumerable.Range(1, 15).Select(q => xs.Select(x => x[k]).Order().ElementAt(q * xs.Count / 16)).Distinct().ToArray()).ToArray();
        var model = new BoostedTrees();
        double prior = ys.Average(y => y ? 1.0 : 0.0);
        model._bias = Math.Log(prior / (1 - prior));
        var z = Enumerable.Repeat(model._bias, xs.Count).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            var g = new double[xs.Count];
            var h = new double[xs.Count];
            for (int i = 0; i < xs.Count; i++)
            {
                double p = 1 / (1 + Math.Exp(-z[i]));
                g[i] = (ys[i] ? 1 : 0) - p;
                h[i] = Math.Max(p * (1 - p), 1e-6);
            }

            var all = Enumerable.Range(0, xs.Count).ToList();
            var (f1, t1, _) = BestSplit(xs, g, h, all, cuts);
            var left = all.Where(i => xs[i][f1] < t1).ToList();
            var right = all.Where(i => xs[i][f1] >= t1).ToList();
            var (f2l, t2l, _) = BestSplit(xs, g, h, left, cuts);
            var (f2r, t2r, _) = BestSplit(xs, g, h, right, cuts);
            var tree = (f1, t1, f2l, t2l, f2r, t2r, new double[4]);
            var gs = new double[4];
            var hs = new double[4];
            for (int i = 0; i < xs.Count; i++)
            {
                int leaf = Leaf(tree, xs[i]);
                gs[leaf] += g[i];
                hs[leaf] += h[i];
            }

            for (int leaf = 0; leaf < 4; leaf++)
            {
                tree.Item7[leaf] = rate * gs[leaf] / (hs[leaf] + 1.0);
            }

            model._trees.Add(tree);
            for (int i = 0; i < xs.Count; i++)
            {
                z[i] += tree.Item7[Leaf(tree, xs[i])];
            }
        }

        return model;
    }

    private static (int Feature, double Threshold, double Gain) BestSplit(List<double[]> xs, double[] g, double[] h, List<int> rows, double[][] cuts)
    {
        (int, double, double) best = (0, double.NegativeInfinity, 0);
        double gTotal = rows.Sum(i => g[i]), hTotal = rows.Sum(i => h[i]);
        for (int k = 0; k < cuts.Length; k++)
        {
            foreach (double t in cuts[k])
            {
                double gl = 0, hl = 0;
                foreach (int i in rows)
                {
                    if (xs[i][k] < t)
                    {
                        gl += g[i];
                        hl += h[i];
                    }
                }

                double gain = (gl * gl / (hl + 1)) + ((gTotal - gl) * (gTotal - gl) / (hTotal - hl + 1));
                if (gain > best.Item3)
                {
                    best = (k, t, gain);
                }
            }
        }

        return best;
    }
}
