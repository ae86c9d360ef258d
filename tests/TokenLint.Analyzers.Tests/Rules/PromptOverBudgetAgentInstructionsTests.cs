using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptOverBudgetAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL4001 on Agent Framework agents: the instructions go with every run.</summary>
public sealed class PromptOverBudgetAgentInstructionsTests
{
    private static string Policy(int sentences) => string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", sentences));

    private static string Source(string policy) => """
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;

        class Support
        {
            private const string {|#0:Policy = "POLICY"|};

            public Task<AgentResponse> AskAsync(IChatClient chat, string question) =>
                new ChatClientAgent(chat, instructions: Policy).RunAsync(question);
        }
        """.Replace("POLICY", policy);

    [Fact]
    public async Task OversizedInstructions_AreReported()
    {
        string policy = Policy(260);
        int tokens = TokenCounter.Count(policy).Value;
        await Verify.VerifyAnalyzerAsync(Source(policy),
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage($"This prompt has {tokens:N0} tokens, over the budget of 4,000"));
    }

    [Fact]
    public async Task InstructionsWithinTheBudget_AreNotReported() =>
        await Verify.VerifyAnalyzerAsync(Source(Policy(100)));
}
