using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.BaselineEntryAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL9003: a keyed prompt's size for the baseline, with the model of the call that sends it when it names one.</summary>
public sealed class BaselineEntryTests
{
    private const string Prompt = "You triage support tickets into billing, shipping or other. Answer with the category only.";

    private static Verify.Test Test(string source, bool report = true)
    {
        var test = new Verify.Test { TestCode = source };
        if (report)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.TokenLintBaselineReport = true\n"));
        }

        return test;
    }

    [Fact]
    public async Task APromptField_IsReportedWithTheModelOfTheCall()
    {
        var test = Test($$"""
            using OpenAI.Chat;

            class Triage
            {
                private const string {|#0:Instructions = "{{Prompt}}"|};

                public void Run(string ticket) =>
                    new ChatClient("gpt-4.1-mini", "key").CompleteChat(new SystemChatMessage(Instructions), new UserChatMessage(ticket));
            }
            """);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9003").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0)
            .WithMessage($"Prompt size for the baseline: 'Triage.Instructions' = {TokenCounter.Count(Prompt).Value} tokens on 'gpt-4.1-mini'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task WithoutAKnownModel_TheEntryHasNone()
    {
        var test = Test($$"""
            using OpenAI.Chat;

            class Triage
            {
                private const string {|#0:Instructions = "{{Prompt}}"|};

                public void Run(ChatClient client, string ticket) =>
                    client.CompleteChat(new SystemChatMessage(Instructions), new UserChatMessage(ticket));
            }
            """);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9003").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0)
            .WithMessage($"Prompt size for the baseline: 'Triage.Instructions' = {TokenCounter.Count(Prompt).Value} tokens"));
        await test.RunAsync();
    }

    [Fact]
    public async Task APromptSentToTwoModels_NamesNone()
    {
        var test = Test($$"""
            using OpenAI.Chat;

            class Triage
            {
                private const string {|#0:Instructions = "{{Prompt}}"|};

                public void Run(string ticket)
                {
                    new ChatClient("gpt-4.1-mini", "key").CompleteChat(new SystemChatMessage(Instructions), new UserChatMessage(ticket));
                    new ChatClient("gpt-4.1", "key").CompleteChat(new SystemChatMessage(Instructions), new UserChatMessage(ticket));
                }
            }
            """);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9003").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0)
            .WithMessage($"Prompt size for the baseline: 'Triage.Instructions' = {TokenCounter.Count(Prompt).Value} tokens"));
        await test.RunAsync();
    }

    [Fact]
    public async Task OutsideTheBaselineBuild_NothingIsReported()
    {
        await Test($$"""
            using OpenAI.Chat;

            class Triage
            {
                private const string Instructions = "{{Prompt}}";

                public void Run(string ticket) =>
                    new ChatClient("gpt-4.1-mini", "key").CompleteChat(new SystemChatMessage(Instructions), new UserChatMessage(ticket));
            }
            """, report: false).RunAsync();
    }
}
