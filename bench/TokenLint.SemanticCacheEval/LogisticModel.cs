using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TokenLint.SemanticCacheEval;

/// <summary>L2-regularised logistic regression on standardised features, fitted by Newton's method.</summary>
internal sealed class LogisticModel
{
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[] _weights;

    private LogisticModel(double[] mean, double[] scale, double[] weights)
    {
        _mean = mean;
        _scale = scale;
        _weights = weights;
    }

    public double Probability(double[] x)
    {
        double z = _weights[^1];
        for (int k = 0; k < x.Length; k++)
        {
            z += _weights[k] * (x[k] - _mean[k]) / _scale[k];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    public static LogisticModel Fit(List<double[]> xs, List<bool> ys, double lambda)
    {
        int d = xs[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        for (int k = 0; k < d; k++)
        {
            mean[k] = xs.Average(x => x[k]);
            scale[k] = Math.Sqrt(xs.Average(x => (x[k] - mean[k]) * (x[k] - mean[k]))) + 1e-9;
        }

        var w = new double[d + 1];
        for (int iteration = 0; iteration < 25; iteration++)
        {
            var gradient = new double[d + 1];
            var hessian = new double[d + 1, d + 1];
            var z = new double[d + 1];
            for (int i = 0; i < xs.Count; i++)
            {
                for (int k = 0; k < d; k++)
                {
                    z[k] = (xs[i][k] - mean[k]) / scale[k];
                }

                z[d] = 1;
                double s = 0;
                for (int k = 0; k <= d; k++)
                {
                    s += w[k] * z[k];
                }

                double p = 1 / (1 + Math.Exp(-s));
                double y = ys[i] ? 1 : 0;
                for (int k = 0; k <= d; k++)
                {
                    gradient[k] += (p - y) * z[k];
                    for (int l = 0; l <= d; l++)
                    {
                        hessian[k, l] += p * (1 - p) * z[k] * z[l];
                    }
                }
            }

            for (int k = 0; k < d; k++)
            {
                gradient[k] += lambda * xs.Count * w[k];
                hessian[k, k] += lambda * xs.Count;
            }

            var step = Solve(hessian, gradient);
            for (int k = 0; k <= d; k++)
            {
                w[k] -= step[k];
            }
        }

        return new LogisticModel(mean, scale, w);
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                {
                    pivot = r;
                }
            }

            for (int k = 0; k < n; k++)
            {
                (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            }

            (x[c], x[pivot]) = (x[pivot], x[c]);
            for (int r = 0; r < n; r++)
            {
                if (r != c)
                {
                    double f = m[r, c] / m[c, c];
                    for (int k = 0; k < n; k++)
                    {
                        m[r, k] -= f * m[c, k];
                    }

                    x[r] -= f * x[c];
                }
            }
        }

        for (int c = 0; c < n; c++)
        {
            x[c] /= m[c, c];
        }

        return x;
    }

    public override string ToString() => string.Join(" ", _weights.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)));
}
