namespace TokenLint.Runtime;

/// <summary>Tokens and dollars together: what a call is estimated at, or what it spent.</summary>
public readonly record struct BudgetAmount(long Tokens, decimal Dollars);
