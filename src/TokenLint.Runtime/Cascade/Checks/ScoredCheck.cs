using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime.Cascade;

/// <summary>Accepts when the weighted mean of the checks' scores reaches a threshold; every check is asked.</summary>
internal sealed class ScoredCheck : AcceptanceCheck
{
    private readonly (AcceptanceCheck Check, double Weight)[] _checks;
    private readonly double _threshold;
    private readonly double _totalWeight;

    public ScoredCheck(double threshold, (AcceptanceCheck Check, double Weight)[] checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (double.IsNaN(threshold) || threshold < 0 || threshold > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "A score threshold is between 0 and 1.");
        }

        foreach (var (check, weight) in checks)
        {
            ArgumentNullException.ThrowIfNull(check, nameof(checks));
            if (!(weight > 0) || double.IsInfinity(weight))
            {
                throw new ArgumentOutOfRangeException(nameof(checks), weight, "A check's weight is a positive number.");
            }

            _totalWeight += weight;
        }

        if (checks.Length == 0)
        {
            throw new ArgumentException("Scored needs at least one check.", nameof(checks));
        }

        _checks = [.. checks];
        _threshold = threshold;
    }

    public override string Name => "scored";

    public override async ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        double sum = 0;
        List<string>? failures = null;
        foreach (var (check, weight) in _checks)
        {
            var verdict = await check.EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
            sum += verdict.Score * weight;
            if (!verdict.Accepted)
            {
                (failures ??= []).Add(verdict.Check + ": " + verdict.Reason);
            }
        }

        double score = sum / _totalWeight;
        if (score >= _threshold)
        {
            return AcceptanceVerdict.Accept(score);
        }

        string reason = string.Format(CultureInfo.InvariantCulture, "score {0:0.###} below {1:0.###}", score, _threshold);
        if (failures is not null)
        {
            reason += " (" + string.Join("; ", failures) + ")";
        }

        return AcceptanceVerdict.Reject(Name, reason, score);
    }
}
