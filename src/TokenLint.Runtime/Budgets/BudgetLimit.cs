using System;
using System.Globalization;

namespace TokenLint.Runtime;

/// <summary>
/// One cap of a <see cref="TokenBudget"/>, as a <see cref="ITokenBudgetStore"/> sees it: what it applies to, its caps,
/// its period, and an <see cref="Id"/> that every process configured with the same limit computes alike.
/// </summary>
public sealed class BudgetLimit
{
    internal BudgetLimit(BudgetScope scope, long? maxTokens, decimal? maxDollars, TimeSpan? per, int duplicate)
    {
        Scope = scope;
        MaxTokens = maxTokens;
        MaxDollars = maxDollars;
        Per = per;
        string period = per is TimeSpan p ? "/" + p.Ticks.ToString(CultureInfo.InvariantCulture) : "";
        string name = scope.Kind == BudgetScopeKind.Total ? "total" : $"{scope.Kind.ToString().ToLowerInvariant()}:{scope.Name ?? "*"}";
        // The caps are left out: a process deployed with a raised cap goes on counting in the same accounts.
        Id = name + period + (duplicate == 0 ? "" : "#" + duplicate.ToString(CultureInfo.InvariantCulture));
    }

    public BudgetScope Scope { get; }

    /// <summary>The token cap (input of every kind plus output); 0 blocks every call, null means no token cap.</summary>
    public long? MaxTokens { get; }

    /// <summary>The dollar cap; 0 blocks every call, null means no dollar cap.</summary>
    public decimal? MaxDollars { get; }

    /// <summary>The length of a period, after which accounts start again from zero; null for the life of the budget.</summary>
    public TimeSpan? Per { get; }

    /// <summary>
    /// Scope and period as text (<c>session:*/864000000000</c>), numbered when a budget declares the same scope and period
    /// twice: the key a shared store files this limit's accounts under.
    /// </summary>
    public string Id { get; }

    /// <summary>
    /// The start of the period that holds <paramref name="utcNow"/>: periods are laid end to end from 0001-01-01 00:00
    /// UTC, so a day starts at 00:00 UTC, an hour on the hour, a week on Monday 00:00 UTC, for every process alike.
    /// <see cref="DateTimeOffset.MinValue"/> when the limit has no period.
    /// </summary>
    public DateTimeOffset PeriodStart(DateTimeOffset utcNow)
    {
        if (Per is not TimeSpan per)
        {
            return DateTimeOffset.MinValue;
        }

        long ticks = utcNow.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % per.Ticks), TimeSpan.Zero);
    }

    /// <summary>The account's scope in words, for messages: <c>the total</c>, <c>session 'c-42'</c>.</summary>
    public static string Describe(BudgetScope scope, string key) => scope.Kind switch
    {
        BudgetScopeKind.Total => "the total",
        _ => $"{scope.Kind.ToString().ToLowerInvariant()} '{key}'",
    };

    public override string ToString() => Id;
}
