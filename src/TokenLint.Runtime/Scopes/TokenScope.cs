using System;
using System.Collections.Generic;
using System.Threading;

namespace TokenLint.Runtime;

/// <summary>
/// Who a model call is for: an agent, a session (user or conversation) and a task, set around the code that makes
/// the calls and carried across <c>await</c>s. Scopes nest: a call made by agent B while agent A runs is attributed to
/// both, and each scope's <see cref="Spent"/> includes its nested scopes' calls exactly once.
/// </summary>
/// <example>
/// <code>
/// using (TokenScope.Begin(agent: "triage", session: conversationId))
/// {
///     var answer = await chatClient.GetResponseAsync(messages);
/// }
/// </code>
/// </example>
/// <remarks>
/// Like any <see cref="AsyncLocal{T}"/> value, a scope begun inside an awaited method does not flow back to its
/// caller: begin scopes in the method that makes, or awaits, the calls.
/// </remarks>
public sealed class TokenScope : IDisposable
{
    private static readonly AsyncLocal<TokenScope?> s_current = new();

    private readonly object _gate = new();
    private TokenCounts _tokens;
    private decimal _cost;
    private long _calls;
    private long _unpricedCalls;
    private long _callsWithoutUsage;
    private bool _disposed;

    private TokenScope(string? agent, string? session, string? task, TokenScope? parent)
    {
        Parent = parent;
        Agent = agent;
        // Session and task are inherited: agent B called for a session is still working for that session.
        Session = session ?? parent?.Session;
        Task = task ?? parent?.Task;
        AgentPath = BuildAgentPath(agent, parent);
        InnermostAgent = agent ?? parent?.InnermostAgent;
    }

    /// <summary>The scope of the code running now, or null outside any scope.</summary>
    public static TokenScope? Current => s_current.Value;

    /// <summary>
    /// Starts a scope inside the current one; dispose it (a <c>using</c>) to return to the enclosing scope.
    /// Leave a value null to inherit the session and task of the enclosing scope.
    /// </summary>
    public static TokenScope Begin(string? agent = null, string? session = null, string? task = null)
    {
        var scope = new TokenScope(agent, session, task, s_current.Value);
        s_current.Value = scope;
        return scope;
    }

    public TokenScope? Parent { get; }

    /// <summary>The agent this scope names, or null when it only sets a session or task.</summary>
    public string? Agent { get; }

    /// <summary>The nearest agent named by this scope or an enclosing one.</summary>
    public string? InnermostAgent { get; }

    public string? Session { get; }

    public string? Task { get; }

    /// <summary>Distinct agent names from the outermost scope to this one: a call here is attributed to each once.</summary>
    public IReadOnlyList<string> AgentPath { get; }

    /// <summary>What calls in this scope and the scopes nested in it have spent so far.</summary>
    public ScopeSpend Spent
    {
        get
        {
            lock (_gate)
            {
                return new ScopeSpend(_calls, _tokens, _cost, _unpricedCalls, _callsWithoutUsage);
            }
        }
    }

    /// <summary>Adds one metered call to this scope and every enclosing scope.</summary>
    internal void Add(TokenUsageRecord record)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            lock (scope._gate)
            {
                scope._calls++;
                scope._tokens += record.Tokens;
                scope._cost += record.CostUsd ?? 0m;
                if (!record.UsageReported)
                {
                    scope._callsWithoutUsage++;
                }
                else if (record.CostUsd is null)
                {
                    scope._unpricedCalls++;
                }
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Only unwind if this scope is current: disposing an outer scope first must not drop an inner one's callers
        // into the wrong attribution. Unwind past enclosing scopes that were disposed out of order.
        if (ReferenceEquals(s_current.Value, this))
        {
            var parent = Parent;
            while (parent is { _disposed: true })
            {
                parent = parent.Parent;
            }

            s_current.Value = parent;
        }
    }

    public override string ToString() =>
        $"agent {(AgentPath.Count == 0 ? "-" : string.Join(" > ", AgentPath))}, session {Session ?? "-"}, task {Task ?? "-"}";

    private static IReadOnlyList<string> BuildAgentPath(string? agent, TokenScope? parent)
    {
        var inherited = parent?.AgentPath ?? Array.Empty<string>();
        if (agent is null || Contains(inherited, agent))
        {
            return inherited;
        }

        var path = new string[inherited.Count + 1];
        for (int i = 0; i < inherited.Count; i++)
        {
            path[i] = inherited[i];
        }

        path[inherited.Count] = agent;
        return path;
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Running totals of metered calls.</summary>
/// <param name="Calls">Calls metered, nested scopes included.</param>
/// <param name="Tokens">Their tokens by kind.</param>
/// <param name="CostUsd">Their cost in dollars, over the priced calls.</param>
/// <param name="UnpricedCalls">Calls whose model has no price in the catalog (their tokens are counted, their cost is not).</param>
/// <param name="CallsWithoutUsage">Calls whose provider reported no usage (a stream left before its usage update, an adapter that reports none).</param>
public readonly record struct ScopeSpend(long Calls, TokenCounts Tokens, decimal CostUsd, long UnpricedCalls, long CallsWithoutUsage = 0);
