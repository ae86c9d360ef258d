using System;
using System.Collections.Generic;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>
/// Caps on what calls may spend, per scope, in tokens or dollars. Shared by every <see cref="TokenBudgetChatClient"/>
/// built with it, so one budget can cover several pipelines. A call reserves its pre-flight estimate against every
/// limit that applies before it is sent, and settles to the provider's reported usage when it ends: under concurrency
/// a cap is overshot by no more than the calls already in flight spend beyond their estimates.
/// </summary>
public sealed class TokenBudget
{
    private readonly object _gate = new();
    private readonly List<LimitRule> _limits = new();
    private readonly Dictionary<(int Limit, string Key), Account> _accounts = new();

    /// <param name="prices">Prices for dollar limits; the built-in catalog unless given.</param>
    /// <param name="estimator">How requests are sized before they are sent.</param>
    public TokenBudget(ModelPriceCatalog? prices = null, RequestEstimator? estimator = null)
    {
        Prices = prices ?? ModelPriceCatalog.BuiltIn;
        Estimator = estimator ?? new RequestEstimator();
    }

    public ModelPriceCatalog Prices { get; }

    public RequestEstimator Estimator { get; }

    /// <summary>Adds a cap on <paramref name="scope"/>: tokens (input of every kind plus output), dollars, or both.</summary>
    /// <returns>This budget, to chain limits.</returns>
    public TokenBudget Limit(BudgetScope scope, long? maxTokens = null, decimal? maxDollars = null)
    {
        if (maxTokens is null && maxDollars is null)
        {
            throw new ArgumentException("A limit needs a token cap, a dollar cap, or both.");
        }

        if (maxTokens < 0 || maxDollars < 0)
        {
            throw new ArgumentOutOfRangeException(maxTokens < 0 ? nameof(maxTokens) : nameof(maxDollars), "A cap cannot be negative; 0 blocks every call.");
        }

        lock (_gate)
        {
            _limits.Add(new LimitRule(scope, maxTokens, maxDollars));
        }

        return this;
    }

    /// <summary>What each limit's accounts have spent and reserved so far.</summary>
    public IReadOnlyList<BudgetAccount> Accounts
    {
        get
        {
            lock (_gate)
            {
                var accounts = new List<BudgetAccount>(_accounts.Count);
                foreach (var ((limit, key), account) in _accounts)
                {
                    var l = _limits[limit];
                    accounts.Add(new BudgetAccount(l.Scope, key.Length == 0 ? null : key, l.MaxTokens, l.MaxDollars,
                        account.SpentTokens, account.SpentDollars, account.ReservedTokens, account.ReservedDollars));
                }

                return accounts;
            }
        }
    }

    /// <summary>
    /// Reserves an estimated call against every limit that applies in <paramref name="scope"/>, or throws without
    /// reserving anything.
    /// </summary>
    /// <exception cref="TokenBudgetExceededException">A limit would be exceeded.</exception>
    /// <exception cref="UnpricedModelException">A dollar limit applies and the model has no price.</exception>
    internal Reservation Reserve(long estimatedTokens, decimal? estimatedDollars, TokenScope? scope, string? model)
    {
        lock (_gate)
        {
            var applicable = new List<(int Limit, string Key)>();
            for (int i = 0; i < _limits.Count; i++)
            {
                AddKeys(i, _limits[i].Scope, scope, applicable);
            }

            foreach (var key in applicable)
            {
                var limit = _limits[key.Limit];
                _accounts.TryGetValue(key, out var account);
                string where = Describe(limit.Scope, key.Key);
                if (limit.MaxTokens is long tokenCap
                    && (tokenCap == 0 || account.SpentTokens + account.ReservedTokens + estimatedTokens > tokenCap))
                {
                    throw new TokenBudgetExceededException(limit.Scope.Kind, where, BudgetUnit.Tokens, tokenCap, account.SpentTokens, account.ReservedTokens, estimatedTokens, model);
                }

                if (limit.MaxDollars is decimal dollarCap)
                {
                    if (dollarCap != 0 && estimatedDollars is null)
                    {
                        throw new UnpricedModelException(model, where);
                    }

                    if (dollarCap == 0 || account.SpentDollars + account.ReservedDollars + estimatedDollars!.Value > dollarCap)
                    {
                        throw new TokenBudgetExceededException(limit.Scope.Kind, where, BudgetUnit.Dollars, dollarCap, account.SpentDollars, account.ReservedDollars, estimatedDollars ?? 0m, model);
                    }
                }
            }

            decimal dollars = estimatedDollars ?? 0m;
            foreach (var key in applicable)
            {
                _accounts.TryGetValue(key, out var account);
                account.ReservedTokens += estimatedTokens;
                account.ReservedDollars += dollars;
                _accounts[key] = account;
            }

            return new Reservation(applicable.ToArray(), estimatedTokens, dollars);
        }
    }

    /// <summary>Replaces a reservation by what the call really spent (or, when the provider reported nothing, by the estimate).</summary>
    internal void Settle(Reservation reservation, long? actualTokens, decimal? actualDollars)
    {
        lock (_gate)
        {
            foreach (var key in reservation.Keys)
            {
                var account = _accounts[key];
                account.ReservedTokens -= reservation.Tokens;
                account.ReservedDollars -= reservation.Dollars;
                account.SpentTokens += actualTokens ?? reservation.Tokens;
                account.SpentDollars += actualDollars ?? reservation.Dollars;
                _accounts[key] = account;
            }
        }
    }

    /// <summary>Gives a reservation back: the call failed before the provider did any work.</summary>
    internal void Release(Reservation reservation) => Settle(reservation, 0, 0m);

    private static void AddKeys(int index, BudgetScope limit, TokenScope? scope, List<(int, string)> keys)
    {
        switch (limit.Kind)
        {
            case BudgetScopeKind.Total:
                keys.Add((index, ""));
                break;
            case BudgetScopeKind.Agent:
                // A call by agent B inside agent A counts for both: A's cap covers everything done on its behalf.
                if (scope is not null)
                {
                    foreach (string agent in scope.AgentPath)
                    {
                        if (limit.Name is null || string.Equals(limit.Name, agent, StringComparison.Ordinal))
                        {
                            keys.Add((index, agent));
                        }
                    }
                }

                break;
            case BudgetScopeKind.Session:
                AddNamed(index, limit.Name, scope?.Session, keys);
                break;
            case BudgetScopeKind.Task:
                AddNamed(index, limit.Name, scope?.Task, keys);
                break;
        }
    }

    private static void AddNamed(int index, string? limitName, string? value, List<(int, string)> keys)
    {
        if (value is not null && (limitName is null || string.Equals(limitName, value, StringComparison.Ordinal)))
        {
            keys.Add((index, value));
        }
    }

    private static string Describe(BudgetScope scope, string key) => scope.Kind switch
    {
        BudgetScopeKind.Total => "the total",
        _ => $"{scope.Kind.ToString().ToLowerInvariant()} '{key}'",
    };

    private sealed record LimitRule(BudgetScope Scope, long? MaxTokens, decimal? MaxDollars);

    private struct Account
    {
        public long SpentTokens;
        public long ReservedTokens;
        public decimal SpentDollars;
        public decimal ReservedDollars;
    }

    internal sealed record Reservation((int Limit, string Key)[] Keys, long Tokens, decimal Dollars);
}

/// <summary>One limit's account: for <see cref="BudgetScope.EachSession"/> there is one per session seen.</summary>
public sealed record BudgetAccount(
    BudgetScope Scope, string? Key, long? MaxTokens, decimal? MaxDollars,
    long SpentTokens, decimal SpentDollars, long ReservedTokens, decimal ReservedDollars);
