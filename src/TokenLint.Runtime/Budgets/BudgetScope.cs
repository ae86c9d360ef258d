using System;

namespace TokenLint.Runtime;

/// <summary>What a budget limit applies to: everything, one agent, each agent, each session or each task.</summary>
public readonly record struct BudgetScope
{
    private BudgetScope(BudgetScopeKind kind, string? name)
    {
        Kind = kind;
        Name = name;
    }

    public BudgetScopeKind Kind { get; }

    /// <summary>The one agent, session or task the limit is for; null when it applies to each one separately.</summary>
    public string? Name { get; }

    /// <summary>Every call through the budget together.</summary>
    public static BudgetScope Total { get; } = new(BudgetScopeKind.Total, null);

    /// <summary>Calls made in <paramref name="name"/>'s <see cref="TokenScope"/>, agents it calls included.</summary>
    public static BudgetScope Agent(string name) => new(BudgetScopeKind.Agent, NotEmpty(name));

    /// <summary>A separate limit for each agent.</summary>
    public static BudgetScope EachAgent { get; } = new(BudgetScopeKind.Agent, null);

    public static BudgetScope Session(string id) => new(BudgetScopeKind.Session, NotEmpty(id));

    /// <summary>A separate limit for each session: the cap on what one user or conversation can cost.</summary>
    public static BudgetScope EachSession { get; } = new(BudgetScopeKind.Session, null);

    public static BudgetScope Task(string name) => new(BudgetScopeKind.Task, NotEmpty(name));

    /// <summary>A separate limit for each task.</summary>
    public static BudgetScope EachTask { get; } = new(BudgetScopeKind.Task, null);

    public override string ToString() => Kind switch
    {
        BudgetScopeKind.Total => "total",
        _ when Name is null => $"each {Kind.ToString().ToLowerInvariant()}",
        _ => $"{Kind.ToString().ToLowerInvariant()} '{Name}'",
    };

    private static string NotEmpty(string value) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException("A scope name cannot be empty.", nameof(value)) : value;
}

/// <summary>The kinds of <see cref="BudgetScope"/>, named like <see cref="TokenScope"/>'s attributes.</summary>
public enum BudgetScopeKind
{
    Total,
    Agent,
    Session,
    Task,
}
