namespace TokenLint.Runtime;

/// <summary>One account a call is charged to: a limit and the agent, session or task it applies to ("" for the total).</summary>
public readonly record struct BudgetCharge(BudgetLimit Limit, string Key)
{
    /// <summary>The account's scope in words, for messages: <c>the total</c>, <c>session 'c-42'</c>.</summary>
    public string Describe() => BudgetLimit.Describe(Limit.Scope, Key);
}
