using System;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime.Cascade;

/// <summary>Every check must accept; stops at the first rejection, so cheap checks placed first spare the paid ones.</summary>
internal sealed class AllCheck : AcceptanceCheck
{
    private readonly AcceptanceCheck[] _checks;

    public AllCheck(AcceptanceCheck[] checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        _checks = [.. checks];
        Array.ForEach(_checks, check => ArgumentNullException.ThrowIfNull(check, nameof(checks)));
    }

    public override string Name => "all";

    public override async ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        double lowest = 1.0;
        foreach (var check in _checks)
        {
            var verdict = await check.EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
            if (!verdict.Accepted)
            {
                return verdict;
            }

            lowest = Math.Min(lowest, verdict.Score);
        }

        return AcceptanceVerdict.Accept(lowest);
    }
}
