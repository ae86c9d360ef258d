using System.Collections.Generic;

namespace TokenLint.Runtime;

/// <summary>
/// What a <see cref="ITokenBudgetStore"/> holds for a call in flight, until the call settles. A store derives from it
/// to keep what it needs to settle (row ids, a lease).
/// </summary>
public class BudgetReservation
{
    public BudgetReservation(IReadOnlyList<BudgetCharge> charges, BudgetAmount estimate)
    {
        Charges = charges;
        Estimate = estimate;
    }

    /// <summary>Every account the call was reserved against.</summary>
    public IReadOnlyList<BudgetCharge> Charges { get; }

    /// <summary>What was reserved against each of them.</summary>
    public BudgetAmount Estimate { get; }
}
