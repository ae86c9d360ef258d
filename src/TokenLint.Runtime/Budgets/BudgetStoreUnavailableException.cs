using System;

namespace TokenLint.Runtime;

/// <summary>
/// A budget could not check a call because its store (a shared database) could not be reached, so the call was
/// refused rather than sent unchecked. Nothing was sent and nothing was billed.
/// </summary>
public sealed class BudgetStoreUnavailableException : TokenGuardException
{
    /// <param name="store">What could not be reached, without credentials (e.g. <c>PostgreSQL at db1:5432, database fleet</c>).</param>
    /// <param name="innerException">The store's error.</param>
    public BudgetStoreUnavailableException(string store, Exception? innerException)
        : base($"The budget store ({store}) could not be reached, so the call's budget could not be checked and the call was not sent"
            + (innerException is null ? "." : $": {innerException.GetType().Name}."), innerException)
    {
        Store = store;
    }

    /// <summary>What could not be reached, without credentials.</summary>
    public string Store { get; }
}
