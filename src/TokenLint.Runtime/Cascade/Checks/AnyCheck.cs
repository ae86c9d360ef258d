using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime.Cascade;

/// <summary>One check must accept; asked in order, stopping at the first that does.</summary>
internal sealed class AnyCheck : AcceptanceCheck
{
    private readonly AcceptanceCheck[] _checks;

    public AnyCheck(AcceptanceCheck[] checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.Length == 0)
        {
            throw new ArgumentException("Any needs at least one check: with none, no answer could pass.", nameof(checks));
        }

        _checks = [.. checks];
        Array.ForEach(_checks, check => ArgumentNullException.ThrowIfNull(check, nameof(checks)));
    }

    public override string Name => "any";

    public override async ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        var reasons = new List<string>(_checks.Length);
        double best = 0;
        string? firstCheck = null;
        foreach (var check in _checks)
        {
            var verdict = await check.EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
            if (verdict.Accepted)
            {
                return verdict;
            }

            firstCheck ??= verdict.Check;
            best = Math.Max(best, verdict.Score);
            reasons.Add(verdict.Check + ": " + verdict.Reason);
        }

        // The first alternative's name tags the metric: a bounded value, where a joined list of names would not be.
        return AcceptanceVerdict.Reject(firstCheck ?? Name, "no alternative accepted (" + string.Join("; ", reasons) + ")", best);
    }
}
