using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime;

/// <summary>
/// A <see cref="TokenBudget"/>'s accounts in this process (the default store): the caps hold across every pipeline
/// that shares the budget, not across processes. Periods are aligned to UTC (<see cref="BudgetLimit.PeriodStart"/>);
/// accounts of ended periods are dropped.
/// </summary>
public sealed class InMemoryBudgetStore : ITokenBudgetStore
{
    private const int SweepEvery = 4_096;

    private readonly object _gate = new();
    private readonly Dictionary<(BudgetLimit Limit, string Key), Account> _accounts = new();
    private readonly TimeProvider _time;
    private int _reservationsSinceSweep;

    /// <param name="timeProvider">The clock periods are measured on.</param>
    public InMemoryBudgetStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<BudgetReservation> ReserveAsync(IReadOnlyList<BudgetCharge> charges, BudgetAmount estimate, string? model, CancellationToken cancellationToken)
    {
        try
        {
            return new ValueTask<BudgetReservation>(Reserve(charges, estimate, model));
        }
        catch (Exception e)
        {
            // Completed and faulted: the budget rethrows it before the call returns, as it did when reserving was synchronous.
            return ValueTask.FromException<BudgetReservation>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask SettleAsync(BudgetReservation reservation, BudgetAmount spent)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var periods = reservation as Reserved;
            for (int i = 0; i < reservation.Charges.Count; i++)
            {
                var charge = reservation.Charges[i];
                var key = (charge.Limit, charge.Key);
                var account = Current(key, now);
                // A call that outlived its period gives back its reservation; the new period's account never held it.
                // Its spend goes to the period it ended in.
                if (periods is not null && account.PeriodStart == periods.PeriodStarts[i])
                {
                    account.ReservedTokens -= reservation.Estimate.Tokens;
                    account.ReservedDollars -= reservation.Estimate.Dollars;
                }

                account.SpentTokens += spent.Tokens;
                account.SpentDollars += spent.Dollars;
                _accounts[key] = account;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IReadOnlyList<BudgetAccount> GetAccounts(IReadOnlyList<BudgetLimit> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (_gate)
        {
            var accounts = new List<BudgetAccount>(_accounts.Count);
            foreach (var limit in limits)
            {
                foreach (var ((accountLimit, key), account) in _accounts)
                {
                    if (ReferenceEquals(accountLimit, limit))
                    {
                        accounts.Add(new BudgetAccount(limit.Scope, key.Length == 0 ? null : key, limit.MaxTokens, limit.MaxDollars,
                            account.SpentTokens, account.SpentDollars, account.ReservedTokens, account.ReservedDollars));
                    }
                }
            }

            return accounts;
        }
    }

    private Reserved Reserve(IReadOnlyList<BudgetCharge> charges, BudgetAmount estimate, string? model)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (++_reservationsSinceSweep >= SweepEvery)
            {
                SweepEndedPeriods(now);
            }

            foreach (var charge in charges)
            {
                var account = Current((charge.Limit, charge.Key), now);
                if (charge.Limit.MaxTokens is long tokenCap
                    && (tokenCap == 0 || account.SpentTokens + account.ReservedTokens + estimate.Tokens > tokenCap))
                {
                    throw new TokenBudgetExceededException(charge, BudgetUnit.Tokens, account.SpentTokens, account.ReservedTokens, estimate.Tokens, model);
                }

                if (charge.Limit.MaxDollars is decimal dollarCap
                    && (dollarCap == 0 || account.SpentDollars + account.ReservedDollars + estimate.Dollars > dollarCap))
                {
                    throw new TokenBudgetExceededException(charge, BudgetUnit.Dollars, account.SpentDollars, account.ReservedDollars, estimate.Dollars, model);
                }
            }

            var periodStarts = new DateTimeOffset[charges.Count];
            for (int i = 0; i < charges.Count; i++)
            {
                var key = (charges[i].Limit, charges[i].Key);
                var account = Current(key, now);
                account.ReservedTokens += estimate.Tokens;
                account.ReservedDollars += estimate.Dollars;
                _accounts[key] = account;
                periodStarts[i] = account.PeriodStart;
            }

            return new Reserved(charges, estimate, periodStarts);
        }
    }

    private Account Current((BudgetLimit Limit, string Key) key, DateTimeOffset now)
    {
        var periodStart = key.Limit.PeriodStart(now);
        // A new period starts from zero; calls still in flight from the old one settle their spend into it.
        return _accounts.TryGetValue(key, out var account) && account.PeriodStart == periodStart
            ? account
            : new Account { PeriodStart = periodStart };
    }

    private void SweepEndedPeriods(DateTimeOffset now)
    {
        _reservationsSinceSweep = 0;
        List<(BudgetLimit, string)>? ended = null;
        foreach (var (key, account) in _accounts)
        {
            if (key.Limit.Per is not null && account.ReservedTokens == 0 && account.PeriodStart != key.Limit.PeriodStart(now))
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

    private struct Account
    {
        public DateTimeOffset PeriodStart;
        public long SpentTokens;
        public long ReservedTokens;
        public decimal SpentDollars;
        public decimal ReservedDollars;
    }

    /// <summary>A reservation and the period each account was reserved in.</summary>
    private sealed class Reserved(IReadOnlyList<BudgetCharge> charges, BudgetAmount estimate, DateTimeOffset[] periodStarts)
        : BudgetReservation(charges, estimate)
    {
        public DateTimeOffset[] PeriodStarts { get; } = periodStarts;
    }
}
