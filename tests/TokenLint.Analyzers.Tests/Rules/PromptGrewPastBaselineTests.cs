using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptGrewPastBaselineAnalyzer,
    TokenLint.CodeFixes.Rules.PromptGrewPastBaselineFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class PromptGrewPastBaselineTests
{
    private static readonly string Policy = string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", 60));

    private static readonly string Source = """
        using System.Threading.Tasks;
        using OpenAI.Chat;

        class Agent
        {
            private const string Policy = {|#0:"POLICY"|};

            public Task RunAsync(string question) =>
                new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(Policy), new UserChatMessage(question));
        }
        """.Replace("POLICY", Policy);

    private static string Baseline(int count) => $$"""
        {
          "prompts": {
            "Agent.Policy": {{count}},
            "Other.Prompt": 120
          }
        }
        """;

    [Fact]
    public async Task PromptPastItsBaseline_IsReportedAndTheFixAcceptsTheNewSize()
    {
        int tokens = TokenCounter.Count(Policy).Value;
        int recorded = tokens * 3 / 4;
        var test = new Verify.Test { TestCode = Source, FixedCode = Source.Replace("{|#0:", "").Replace("|}", "") };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", Baseline(recorded)));
        test.FixedState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", Baseline(tokens)));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4003").WithLocation(0).WithMessage(
            $"'Agent.Policy' grew from {recorded:N0} to {tokens:N0} tokens (+{(tokens - recorded) * 100.0 / recorded:0}%), past its baseline in tokenlint.baseline.json (+10% allowed); trim it, or accept the new size into the baseline"));
        await test.RunAsync();
    }

    [Fact]
    public async Task AnEntryThatNamesItsModel_IsComparedAndTheFixRewritesOnlyTheCount()
    {
        int tokens = TokenCounter.Count(Policy).Value;
        int recorded = tokens * 3 / 4;
        string Entry(int count) => $$"""{ "prompts": { "Agent.Policy": { "tokens": {{count}}, "model": "gpt-4o" } } }""";
        var test = new Verify.Test { TestCode = Source, FixedCode = Source.Replace("{|#0:", "").Replace("|}", "") };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", Entry(recorded)));
        test.FixedState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", Entry(tokens)));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4003").WithLocation(0).WithMessage(
            $"'Agent.Policy' grew from {recorded:N0} to {tokens:N0} tokens (+{(tokens - recorded) * 100.0 / recorded:0}%), past its baseline in tokenlint.baseline.json (+10% allowed); trim it, or accept the new size into the baseline"));
        await test.RunAsync();
    }

    [Fact]
    public async Task GrowthWithinTheAllowedShareOrNoEntry_IsNotReported()
    {
        int tokens = TokenCounter.Count(Policy).Value;
        var within = new Verify.Test { TestCode = Source };
        within.TestState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", Baseline(tokens * 95 / 100)));
        await within.RunAsync();

        var raised = new Verify.Test { TestCode = Source };
        raised.TestState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", Baseline(tokens * 3 / 4)));
        raised.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\ntokenlint.tl4003.max_growth_percent = 50\n"));
        await raised.RunAsync();

        var unknown = new Verify.Test { TestCode = Source };
        unknown.TestState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", """{ "prompts": { "Other.Prompt": 10 } }"""));
        await unknown.RunAsync();
    }

    [Fact]
    public async Task PromptFiles_AreComparedByRelativePath()
    {
        int tokens = TokenCounter.Count(Policy).Value;
        var test = new Verify.Test { TestCode = "class C { }" };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", """{ "prompts": { "prompts/support.prompt.md": 100 } }"""));
        test.TestState.AdditionalFiles.Add(("/0/prompts/support.prompt.md", Policy));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4003").WithSpan("/0/prompts/support.prompt.md", 1, 1, 1, 1).WithMessage(
            $"'prompts/support.prompt.md' grew from 100 to {tokens:N0} tokens (+{(tokens - 100) * 100.0 / 100:0}%), past its baseline in tokenlint.baseline.json (+10% allowed); trim it, or accept the new size into the baseline"));
        test.TestBehaviors |= Microsoft.CodeAnalysis.Testing.TestBehaviors.SkipSuppressionCheck;
        await test.RunAsync();
    }
}
