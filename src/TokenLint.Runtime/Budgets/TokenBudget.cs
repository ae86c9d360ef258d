using System;
using System.Collections.Generic;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>
/// Caps on what calls may spend, per scope, in tokens or dollars, for the life of the budget or per period. Shared by
/// every <see cref="TokenBudgetChatClient"/> built with it, so one budget can cover several pipelines. A call
/// reserves its pre-flight estimate against every limit that applies before it is sent, and settles to the
/// provider's reported usage when it ends: under concurrency a cap is overshot by no more than what calls already
/// in flight spend beyond their estimates.
/// </summary>
public sealed class TokenBudget
{
    private const int SweepEvery = 4_096;

    private readonly object _gate = new();
    private readonly List<LimitRule> _limits = new();
    private readonly Dictionary<(int Limit, string Key), Account> _accounts = new();
    private readonly TimeProvider _time;
    private int _reservationsSinceSweep;

    /// <param name="prices">Prices for dollar limits; the built-in catalog unless given.</param>
    /// <param name="estimator">How requests are sized before they are sent.</param>
    /// <param name="timeProvider">The clock periods are measured on.</param>
    public TokenBudget(ModelPriceCatalog? prices = null, RequestEstimator? estimator = null, TimeProvider? timeProvider = null)
    {
        Prices = prices ?? ModelPriceCatalog.BuiltIn;
        Estimator = estimator ?? new RequestEstimator();
        _time = timeProvider ?? TimeProvider.System;
    }

    public ModelPriceCatalog Prices { get; }

    public RequestEstimator Estimator { get; }

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
    /// A period after which an account starts again from zero (a day for a daily cap), counted from its first call.
    /// Null keeps one account for the life of the budget. Accounts of ended periods are dropped, so per-session
    /// limits with a period do not grow without bound in a long-running service.
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
            _limits.Add(new LimitRule(scope, maxTokens, maxDollars, per));
        }

        return this;
    }

    /// <summary>What each limit's accounts have spent and reserved in their current period.</summary>
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
    /// Whether any limit applies to a call made in <paramref name="scope"/>. When none does the call needs no
    /// estimate: sizing a prompt costs a tokenizer pass (about 80 us per 1,000 tokens).
    /// </summary>
    internal bool AppliesTo(TokenScope? scope)
    {
        lock (_gate)
        {
            var keys = new List<(int, string)>();
            for (int i = 0; i < _limits.Count && keys.Count == 0; i++)
            {
                AddKeys(i, _limits[i].Scope, scope, keys);
            }

            return keys.Count > 0;
        }
    }

    /// <summary>A reservation against no limit, for a call no limit applies to.</summary>
    internal static Reservation Unlimited { get; } = new(Array.Empty<(int, string, long)>(), default);

    /// <summary>
    /// Reserves an estimated call against every limit that applies in <paramref name="scope"/>, or throws without
    /// reserving anything.
    /// </summary>
    /// <exception cref="TokenBudgetExceededException">A limit would be exceeded.</exception>
    /// <exception cref="UnpricedModelException">A dollar limit applies and the model has no price.</exception>
    internal Reservation Reserve(Estimate estimate, TokenScope? scope, string? model)
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            if (++_reservationsSinceSweep >= SweepEvery)
            {
                SweepEndedPeriods(now);
            }

            var applicable = new List<(int Limit, string Key)>();
            for (int i = 0; i < _limits.Count; i++)
            {
                AddKeys(i, _limits[i].Scope, scope, applicable);
            }

            foreach (var key in applicable)
            {
                var limit = _limits[key.Limit];
                var account = Current(key, limit, now);
                string where = Describe(limit.Scope, key.Key);
                if (limit.MaxTokens is long tokenCap
                    && (tokenCap == 0 || account.SpentTokens + account.ReservedTokens + estimate.Tokens > tokenCap))
                {
                    throw new TokenBudgetExceededException(limit.Scope.Kind, where, BudgetUnit.Tokens, tokenCap, account.SpentTokens, account.ReservedTokens, estimate.Tokens, model);
                }

                if (limit.MaxDollars is decimal dollarCap)
                {
                    if (dollarCap != 0 && estimate.Dollars is null)
                    {
                        throw new UnpricedModelException(model, where);
                    }

                    if (dollarCap == 0 || account.SpentDollars + account.ReservedDollars + estimate.Dollars!.Value > dollarCap)
                    {
                        throw new TokenBudgetExceededException(limit.Scope.Kind, where, BudgetUnit.Dollars, dollarCap, account.SpentDollars, account.ReservedDollars, estimate.Dollars ?? 0m, model);
                    }
                }
            }

            var keys = new (int Limit, string Key, long PeriodStart)[applicable.Count];
            for (int i = 0; i < applicable.Count; i++)
            {
                var key = applicable[i];
                var account = Current(key, _limits[key.Limit], now);
                account.ReservedTokens += estimate.Tokens;
                account.ReservedDollars += estimate.Dollars ?? 0m;
                _accounts[key] = account;
                keys[i] = (key.Limit, key.Key, account.PeriodStart);
            }

            return new Reservation(keys, estimate);
        }
    }

    /// <summary>Replaces a reservation by what the call spent.</summary>
    internal void Settle(Reservation reservation, long spentTokens, decimal spentDollars)
    {
        lock (_gate)
        {
            foreach (var (limit, key, periodStart) in reservation.Keys)
            {
                if (!_accounts.TryGetValue((limit, key), out var account))
                {
                    continue;
                }

                // A call that outlived its period gives back its reservation; the new period's account never held it.
                if (account.PeriodStart == periodStart)
                {
                    account.ReservedTokens -= reservation.Estimate.Tokens;
                    account.ReservedDollars -= reservation.Estimate.Dollars ?? 0m;
                }

                account.SpentTokens += spentTokens;
                account.SpentDollars += spentDollars;
                _accounts[(limit, key)] = account;
            }
        }
    }

    private Account Current((int Limit, string Key) key, LimitRule limit, long now)
    {
        if (!_accounts.TryGetValue(key, out var account))
        {
            return new Account { PeriodStart = now };
        }

        if (limit.Per is TimeSpan per && _time.GetElapsedTime(account.PeriodStart, now) >= per)
        {
            // A new period starts from zero; calls still in flight from the old one settle their spend into it.
            return new Account { PeriodStart = now };
        }

        return account;
    }

    private void SweepEndedPeriods(long now)
    {
        _reservationsSinceSweep = 0;
        List<(int, string)>? ended = null;
        foreach (var (key, account) in _accounts)
        {
            if (_limits[key.Limit].Per is TimeSpan per && account.ReservedTokens == 0 && _time.GetElapsedTime(account.PeriodStart, now) >= per)
            {
                (ended ??= new()).Add(key);
            }
        }

        if (ended is not null)
        {
            foreach (var key in ended)
            {
                _accounts.Remove(key);
            }
        }
    }

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

    private sealed record LimitRule(BudgetScope Scope, long? MaxTokens, decimal? MaxDollars, TimeSpan? Per);

    private struct Account
    {
        public long PeriodStart;
        public long SpentTokens;
        public long ReservedTokens;
        public decimal SpentDollars;
        public decimal ReservedDollars;
    }

    /// <summary>A call's pre-flight size: all of it, and its prompt alone (what a call that timed out is charged).</summary>
    internal readonly record struct Estimate(long Tokens, decimal? Dollars, long InputTokens, decimal? InputDollars);

    internal sealed record Reservation((int Limit, string Key, long PeriodStart)[] Keys, Estimate Estimate);
}

/// <summary>One limit's account: for <see cref="BudgetScope.EachSession"/> there is one per session seen.</summary>
public sealed record BudgetAccount(
    BudgetScope Scope, string? Key, long? MaxTokens, decimal? MaxDollars,
    long SpentTokens, decimal SpentDollars, long ReservedTokens, decimal ReservedDollars);
