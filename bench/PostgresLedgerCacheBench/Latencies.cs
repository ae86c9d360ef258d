using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenLint.PostgresBench;

/// <summary>Nearest-rank percentiles of measured latencies, in milliseconds.</summary>
internal static class Latencies
{
    public static string Summary(List<double> milliseconds)
    {
        var sorted = milliseconds.OrderBy(m => m).ToArray();
        return FormattableString.Invariant(
            $"n={sorted.Length} p50={At(sorted, 0.50):0.0} ms p99={At(sorted, 0.99):0.0} ms max={sorted[^1]:0.0} ms");
    }

    private static double At(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
