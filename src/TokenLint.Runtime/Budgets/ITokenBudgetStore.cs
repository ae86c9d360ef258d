using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime;

/// <summary>
/// Where a <see cref="TokenBudget"/> keeps its accounts: in this process (<see cref="InMemoryBudgetStore"/>, the
/// default) or shared by a fleet (TokenLint.Postgres's <c>PostgresBudgetStore</c>). The budget decides which accounts a
/// call is charged to; the store checks the caps and counts, atomically.
/// </summary>
public interface ITokenBudgetStore
{
    /// <summary>
    /// Reserves <paramref name="estimate"/> against every account in <paramref name="charges"/> for their current
    /// period (<see cref="BudgetLimit.PeriodStart"/>), all or none: a cap that the spend, the reservations and the
    /// estimate together would pass refuses the call (a cap of 0 refuses every call).
    /// </summary>
    /// <exception cref="TokenBudgetExceededException">A cap would be passed; nothing was reserved.</exception>
    /// <exception cref="TokenGuardException">The store could not decide (<see cref="BudgetStoreUnavailableException"/>).</exception>
    ValueTask<BudgetReservation> ReserveAsync(IReadOnlyList<BudgetCharge> charges, BudgetAmount estimate, string? model, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="reservation"/> by what the call spent. Never throws: the call has already happened.</summary>
    ValueTask SettleAsync(BudgetReservation reservation, BudgetAmount spent);

    /// <summary>The current period's accounts of <paramref name="limits"/>.</summary>
    IReadOnlyList<BudgetAccount> GetAccounts(IReadOnlyList<BudgetLimit> limits);
}
