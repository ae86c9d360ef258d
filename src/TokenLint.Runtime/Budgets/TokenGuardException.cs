using System;

namespace TokenLint.Runtime;

/// <summary>
/// A TokenLint guard refused a call before it was sent: a budget (<see cref="TokenBudgetExceededException"/>,
/// <see cref="UnpricedModelException"/>, <see cref="BudgetStoreUnavailableException"/>) or the loop guard (<see cref="RequestLoopDetectedException"/>). Catch this
/// type to handle every refusal in one place; nothing was sent and nothing was billed.
/// </summary>
public abstract class TokenGuardException : Exception
{
    protected TokenGuardException(string message)
        : base(message)
    {
    }

    protected TokenGuardException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
