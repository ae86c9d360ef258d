using System.Linq;
using System.Threading.Tasks;

namespace TokenLint.Runtime.Tests;

public class TokenScopeTests
{
    [Fact]
    public void Nested_InheritsSessionAndTask_AndPathsAgents()
    {
        using var outer = TokenScope.Begin(agent: "planner", session: "s-1", task: "refund");
        using var inner = TokenScope.Begin(agent: "billing");

        Assert.Same(inner, TokenScope.Current);
        Assert.Equal(new[] { "planner", "billing" }, inner.AgentPath);
        Assert.Equal("s-1", inner.Session);
        Assert.Equal("refund", inner.Task);
        Assert.Equal("billing", inner.InnermostAgent);
    }

    [Fact]
    public void Dispose_ReturnsToTheEnclosingScope()
    {
        var outer = TokenScope.Begin(agent: "a");
        var inner = TokenScope.Begin(agent: "b");
        inner.Dispose();
        Assert.Same(outer, TokenScope.Current);
        outer.Dispose();
        Assert.Null(TokenScope.Current);
    }

    [Fact]
    public void DisposedOutOfOrder_NeverBringsADisposedScopeBack()
    {
        var outer = TokenScope.Begin(agent: "a");
        var inner = TokenScope.Begin(agent: "b");
        outer.Dispose();
        Assert.Same(inner, TokenScope.Current); // the inner scope is still running
        inner.Dispose();
        Assert.Null(TokenScope.Current);
    }

    [Fact]
    public void RecursiveAgent_AppearsOnceInThePath()
    {
        using var a = TokenScope.Begin(agent: "a");
        using var b = TokenScope.Begin(agent: "b");
        using var again = TokenScope.Begin(agent: "a");

        Assert.Equal(new[] { "a", "b" }, again.AgentPath);
        Assert.Equal("a", again.InnermostAgent);
    }

    [Fact]
    public void Add_RollsUpToEveryEnclosingScopeOnce()
    {
        using var a = TokenScope.Begin(agent: "a");
        using var b = TokenScope.Begin(agent: "b");
        b.Add(new TokenUsageRecord { Tokens = new TokenCounts { InputTokens = 10, OutputTokens = 5 }, CostUsd = 0.25m });
        a.Add(new TokenUsageRecord { Tokens = new TokenCounts { InputTokens = 1 }, CostUsd = null });
        a.Add(new TokenUsageRecord { UsageReported = false });

        Assert.Equal(new ScopeSpend(1, new TokenCounts { InputTokens = 10, OutputTokens = 5 }, 0.25m, 0), b.Spent);
        Assert.Equal(3, a.Spent.Calls);
        Assert.Equal(11, a.Spent.Tokens.InputTokens);
        Assert.Equal(0.25m, a.Spent.CostUsd);
        Assert.Equal(1, a.Spent.UnpricedCalls);
        Assert.Equal(1, a.Spent.CallsWithoutUsage);
    }

    [Fact]
    public async Task FlowsAcrossAwaits_AndStaysSeparateBetweenConcurrentTasks()
    {
        async Task<string?> Run(string agent)
        {
            using var scope = TokenScope.Begin(agent: agent);
            await Task.Delay(10);
            await Task.Yield();
            return TokenScope.Current?.Agent;
        }

        var agents = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Run("agent-" + i)));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => "agent-" + i), agents);
        Assert.Null(TokenScope.Current);
    }
}
