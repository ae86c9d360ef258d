using System;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime.Cascade;

/// <summary>A user's rule: null accepts, a reason rejects.</summary>
internal sealed class ValidatorCheck : AcceptanceCheck
{
    internal const string DefaultName = "validator";

    private readonly Func<AcceptanceContext, CancellationToken, ValueTask<string?>> _validate;

    public ValidatorCheck(string name, Func<AcceptanceContext, CancellationToken, ValueTask<string?>> validate)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(validate);
        Name = name;
        _validate = validate;
    }

    public override string Name { get; }

    public override async ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        string? reason = await _validate(context, cancellationToken).ConfigureAwait(false);
        return reason is null ? AcceptanceVerdict.Accept() : AcceptanceVerdict.Reject(Name, reason.Length == 0 ? "rejected" : reason);
    }
}
