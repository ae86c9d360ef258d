using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>
/// Caps on what calls may spend, per scope, in tokens or dollars, for the life of the budget or per period. Shared by
/// every <see cref="TokenBudgetChatClient"/> built with it, so one budget can cover several pipelines; with a shared
/// <see cref="ITokenBudgetStore"/> (TokenLint.Postgres) it covers every process of a fleet. A call
/// reserves its pre-flight estimate against every limit that applies before it is sent, and settles to the
/// provider's reported usage when it ends: under concurrency a cap is overshot by no more than what calls already
/// in flight spend beyond their estimates.
/// </summary>
public sealed class TokenBudget
{
    private readonly object _gate = new();
    private readonly List<BudgetLimit> _limits = new();

    /// <param name="prices">Prices for dollar limits; the built-in catalog unless given.</param>
    /// <param name="estimator">How requests are sized before they are sent.</param>
    /// <param name="timeProvider">The clock periods are measured on, for the default in-memory store.</param>
    /// <param name="store">Where the accounts are kept; an <see cref="InMemoryBudgetStore"/> unless given.</param>
    public TokenBudget(ModelPriceCatalog? prices = null, RequestEstimator? estimator = null, TimeProvider? timeProvider = null, ITokenBudgetStore? store = null)
    {
        Prices = prices ?? ModelPriceCatalog.BuiltIn;
        Estimator = estimator ?? new RequestEstimator();
        Store = store ?? new InMemoryBudgetStore(timeProvider);
    }

    public ModelPriceCatalog Prices { get; }

    public RequestEstimator Estimator { get; }

    /// <summary>Where the accounts are kept.</summary>
    public ITokenBudgetStore Store { get; }

    /// <summary>
    /// The TTL to price cache writes at when neither the response nor the request shows one: set it as
    /// <see cref="TokenMeteringOptions.DefaultCacheWriteTtl"/> is set, so that this budget's spend and the metered
    /// cost agree (a 1-hour write costs 2x input, a 5-minute one 1.25x).
    /// </summary>
    public CacheWriteTtl DefaultCacheWriteTtl { get; set; } = CacheWriteTtl.FiveMinutes;

    /// <summary>
    /// Adds a cap on <paramref name="scope"/>: tokens (input of every kind plus output), dollars, or both.
    /// </summary>
    /// <param name="scope">What the cap applies to.</param>
    /// <param name="maxTokens">The token cap; 0 blocks every call.</param>
    /// <param name="maxDollars">The dollar cap; 0 blocks every call.</param>
    /// <param name="per">
    /// A period after which an account starts again from zero (a day for a daily cap). Periods are aligned to UTC,
    /// laid end to end from 0001-01-01 00:00 UTC: a daily cap resets at 00:00 UTC, an hourly one on the hour, a weekly
    /// one on Monday 00:00 UTC, at the same instant in every process (earlier builds counted a period from an account's
    /// first call). Null keeps one account for the life of the budget. Accounts of ended periods are
    /// dropped, so per-session limits with a period do not grow without bound in a long-running service.
    /// </param>
    /// <returns>This budget, to chain limits.</returns>
    public TokenBudget Limit(BudgetScope scope, long? maxTokens = null, decimal? maxDollars = null, TimeSpan? per = null)
    {
        if (maxTokens is null && maxDollars is null)
        {
            throw new ArgumentException("A limit needs a token cap, a dollar cap, or both.");
        }

        if (maxTokens < 0 || maxDollars < 0)
        {
            throw new ArgumentOutOfRangeException(maxTokens < 0 ? nameof(maxTokens) : nameof(maxDollars), "A cap cannot be negative; 0 blocks every call.");
        }

        if (per <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(per), per, "A period must be positive.");
        }

        lock (_gate)
        {
            int duplicate = _limits.FindAll(l => l.Scope == scope && l.Per == per).Count;
            _limits.Add(new BudgetLimit(scope, maxTokens, maxDollars, per, duplicate));
        }

        return this;
    }

    /// <summary>The limits, in the order they were added.</summary>
    public IReadOnlyList<BudgetLimit> Limits
    {
        get
        {
            lock (_gate)
            {
                return _limits.ToArray();
            }
        }
    }

    /// <summary>What each limit's accounts have spent and reserved in their current period (read from the store).</summary>
    public IReadOnlyList<BudgetAccount> Accounts => Store.GetAccounts(Limits);

    /// <summary>
    /// Whether any limit applies to a call made in <paramref name="scope"/>. When none does the call needs no
    /// estimate: sizing a prompt costs a tokenizer pass (about 80 us per 1,000 tokens).
    /// </summary>
    internal bool AppliesTo(TokenScope? scope) => Charges(scope).Count > 0;

    /// <summary>A reservation against no limit, for a call no limit applies to.</summary>
    internal static Reservation Unlimited { get; } = new(null, default);

    /// <summary>
    /// Reserves an estimated call against every limit that applies in <paramref name="scope"/>, or fails without
    /// reserving anything. Completes synchronously with the in-memory store.
    /// </summary>
    /// <exception cref="TokenBudgetExceededException">A limit would be exceeded.</exception>
    /// <exception cref="UnpricedModelException">A dollar limit applies and the model has no price.</exception>
    /// <exception cref="BudgetStoreUnavailableException">The store could not be reached.</exception>
    internal async ValueTask<Reservation> ReserveAsync(Estimate estimate, TokenScope? scope, string? model, CancellationToken cancellationToken)
    {
        var charges = Charges(scope);
        if (estimate.Dollars is null)
        {
            foreach (var charge in charges)
            {
                if (charge.Limit.MaxDollars is decimal cap && cap != 0)
                {
                    throw new UnpricedModelException(model, charge.Describe());
                }
            }
        }

        var stored = await Store.ReserveAsync(charges, new BudgetAmount(estimate.Tokens, estimate.Dollars ?? 0m), model, cancellationToken).ConfigureAwait(false);
        return new Reservation(stored, estimate);
    }

    /// <summary>Replaces a reservation by what the call spent.</summary>
    internal ValueTask SettleAsync(Reservation reservation, long spentTokens, decimal spentDollars) =>
        reservation.Stored is null ? ValueTask.CompletedTask : Store.SettleAsync(reservation.Stored, new BudgetAmount(spentTokens, spentDollars));

    private List<BudgetCharge> Charges(TokenScope? scope)
    {
        var charges = new List<BudgetCharge>();
        lock (_gate)
        {
            foreach (var limit in _limits)
            {
                AddCharges(limit, scope, charges);
            }
        }

        return charges;
    }

    private static void AddCharges(BudgetLimit limit, TokenScope? scope, List<BudgetCharge> charges)
    {
        switch (limit.Scope.Kind)
        {
            case BudgetScopeKind.Total:
                charges.Add(new BudgetCharge(limit, ""));
                break;
            case BudgetScopeKind.Agent:
                // A call by agent B inside agent A counts for both: A's cap covers everything done on its behalf.
                if (scope is not null)
                {
                    foreach (string agent in scope.AgentPath)
                    {
                        if (limit.Scope.Name is null || string.Equals(limit.Scope.Name, agent, StringComparison.Ordinal))
                        {
                            charges.Add(new BudgetCharge(limit, agent));
                        }
                    }
                }

                break;
            case BudgetScopeKind.Session:
                AddNamed(limit, scope?.Session, charges);
                break;
            case BudgetScopeKind.Task:
                AddNamed(limit, scope?.Task, charges);
                break;
        }
    }

    private static void AddNamed(BudgetLimit limit, string? value, List<BudgetCharge> charges)
    {
        if (value is not null && (limit.Scope.Name is null || string.Equals(limit.Scope.Name, value, StringComparison.Ordinal)))
        {
            charges.Add(new BudgetCharge(limit, value));
        }
    }

    /// <summary>A call's pre-flight size: all of it, and its prompt alone (what a call that timed out is charged).</summary>
    internal readonly record struct Estimate(long Tokens, decimal? Dollars, long InputTokens, decimal? InputDollars);

    /// <summary>What the store reserved (null when no limit applied) and the estimate it was for.</summary>
    internal sealed record Reservation(BudgetReservation? Stored, Estimate Estimate);
}

/// <summary>One limit's account: for <see cref="BudgetScope.EachSession"/> there is one per session seen.</summary>
public sealed record BudgetAccount(
    BudgetScope Scope, string? Key, long? MaxTokens, decimal? MaxDollars,
    long SpentTokens, decimal SpentDollars, long ReservedTokens, decimal ReservedDollars);
