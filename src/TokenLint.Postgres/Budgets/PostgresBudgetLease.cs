using System;
using System.Collections.Generic;
using System.Threading;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// A reservation held in the database under a lease. While the call runs, a timer renews the lease every third of its
/// length; settling stops it. A process that dies stops renewing, and the lease runs out.
/// </summary>
internal sealed class PostgresBudgetLease : BudgetReservation
{
    private readonly Timer _renewal;
    private int _stopped;

    public PostgresBudgetLease(PostgresBudgetStore store, IReadOnlyList<BudgetCharge> charges, BudgetAmount estimate, Guid id, long[] accountIds, TimeSpan lease)
        : base(charges, estimate)
    {
        Id = id;
        AccountIds = accountIds;
        var every = lease / 3;
        _renewal = new Timer(static state => ((PostgresBudgetLease)state!).Renew(), this, Timeout.Infinite, Timeout.Infinite);
        Store = store;
        _renewal.Change(every, every);
    }

    public Guid Id { get; }

    /// <summary>The accounts' row ids, in lock order.</summary>
    public long[] AccountIds { get; }

    private PostgresBudgetStore Store { get; }

    public void StopRenewing()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _renewal.Dispose();
        }
    }

    private async void Renew()
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        // Never throws: RenewAsync logs an unreachable database itself, and a lease already released stays released.
        if (!await Store.RenewAsync(Id).ConfigureAwait(false))
        {
            StopRenewing();
        }
    }
}
