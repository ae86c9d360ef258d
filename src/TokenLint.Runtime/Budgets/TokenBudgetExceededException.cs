using System;
using System.Globalization;

namespace TokenLint.Runtime;

/// <summary>
/// A call was refused before it was sent because its estimate would take a budget past its cap.
/// </summary>
public sealed class TokenBudgetExceededException : TokenGuardException
{
    /// <summary>For a <see cref="ITokenBudgetStore"/>: <paramref name="charge"/>'s cap in <paramref name="unit"/> would be passed.</summary>
    /// <param name="charge">The account whose cap would be passed.</param>
    /// <param name="unit">Which of its caps.</param>
    /// <param name="spent">What finished calls have spent in the account's period.</param>
    /// <param name="inFlight">What calls in flight have reserved.</param>
    /// <param name="estimate">The refused call's estimate.</param>
    /// <param name="model">The refused call's model.</param>
    public TokenBudgetExceededException(BudgetCharge charge, BudgetUnit unit, decimal spent, decimal inFlight, decimal estimate, string? model)
        : this(charge.Limit.Scope.Kind, charge.Describe(), unit,
            unit == BudgetUnit.Tokens ? charge.Limit.MaxTokens ?? throw new ArgumentException("The limit has no token cap.", nameof(unit))
                : charge.Limit.MaxDollars ?? throw new ArgumentException("The limit has no dollar cap.", nameof(unit)),
            spent, inFlight, estimate, model)
    {
    }

    internal TokenBudgetExceededException(BudgetScopeKind scopeKind, string scope, BudgetUnit unit, decimal cap, decimal spent, decimal inFlight, decimal estimate, string? model)
        : base(Describe(scope, unit, cap, spent, inFlight, estimate, model))
    {
        ScopeKind = scopeKind;
        Scope = scope;
        Unit = unit;
        Cap = cap;
        Spent = spent;
        InFlight = inFlight;
        Estimate = estimate;
        Model = model;
    }

    /// <summary>The limit's scope as text, e.g. <c>session 'c-42'</c> or <c>agent 'triage'</c>.</summary>
    public string Scope { get; }

    /// <summary>Whether the limit is on the total, an agent, a session or a task.</summary>
    public BudgetScopeKind ScopeKind { get; }

    public BudgetUnit Unit { get; }

    public decimal Cap { get; }

    /// <summary>What finished calls in the scope have spent.</summary>
    public decimal Spent { get; }

    /// <summary>What calls still running in the scope have reserved.</summary>
    public decimal InFlight { get; }

    /// <summary>The refused call's pre-flight estimate: its prompt, and output at the request's or the model's limit.</summary>
    public decimal Estimate { get; }

    public string? Model { get; }

    private static string Describe(string scope, BudgetUnit unit, decimal cap, decimal spent, decimal inFlight, decimal estimate, string? model)
    {
        string Format(decimal value) => unit == BudgetUnit.Dollars
            ? "$" + value.ToString(value < 0.01m && value != 0m ? "0.######" : "0.00", CultureInfo.InvariantCulture)
            : value.ToString("N0", CultureInfo.InvariantCulture) + " tokens";

        string reason = cap == 0m
            ? $"its cap is {Format(0m)}, which blocks every call"
            : $"the cap is {Format(cap)}, {Format(spent)} spent and {Format(inFlight)} reserved by calls in flight, and this call is estimated at {Format(estimate)}";
        return $"Token budget for {scope} exceeded{(model is null ? "" : $" (model {model})")}: {reason}. The call was not sent.";
    }
}

/// <summary>What a budget limit counts.</summary>
public enum BudgetUnit
{
    Tokens,
    Dollars,
}

/// <summary>A dollar budget cannot price the call's model, so it refuses the call rather than let it through unpriced.</summary>
public sealed class UnpricedModelException : TokenGuardException
{
    internal UnpricedModelException(string? model, string scope)
        : base($"The dollar budget for {scope} cannot price model '{model ?? "(none given)"}': it is not in the TokenLint model catalog. "
            + "Add it with ModelPriceCatalog.WithOverrides (an Azure deployment name can be an alias), or cap this scope in tokens. The call was not sent.")
    {
        Model = model;
    }

    public string? Model { get; }
}
