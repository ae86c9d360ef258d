using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptOverBudgetAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class PromptOverBudgetTests
{
    private static string Policy(int sentences) => string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", sentences));

    private static string Source(string policy) => """
        using System.Threading.Tasks;
        using OpenAI.Chat;

        class Agent
        {
            private const string {|#0:Policy = "POLICY"|};

            public Task RunAsync(string question) =>
                new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(Policy), new UserChatMessage(question));
        }
        """.Replace("POLICY", policy);

    /// <summary>The message for a prompt over the default budget, priced at gpt-4o ($2.50 input, $1.25 cached).</summary>
    internal static string OverBudgetAtGpt4o(string prompt)
    {
        int tokens = TokenCounter.Count(prompt).Value;
        string perThousand = (tokens * 2.5 / 1000).ToString("N2", CultureInfo.InvariantCulture);
        string cached = (tokens * 1.25 / 1000).ToString("N2", CultureInfo.InvariantCulture);
        return $"This prompt has {tokens:N0} tokens, over the budget of 4,000; ${perThousand} per 1,000 calls at gpt-4o's input price (${cached} if cached)";
    }

    [Fact]
    public async Task LongPromptInAConstant_IsReportedOnceAtTheConstant()
    {
        string policy = Policy(260);
        int tokens = TokenCounter.Count(policy).Value;
        await Verify.VerifyAnalyzerAsync(Source(policy),
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage($"This prompt has {tokens:N0} tokens, over the budget of 4,000"));
    }

    [Fact]
    public async Task LongPromptAtTheCall_IsReportedWithDollarsAtTheModelsPrice()
    {
        string policy = Policy(260);
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage({|#0:"POLICY"|}), new UserChatMessage(question));
            }
            """.Replace("POLICY", policy);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0)
                .WithMessage(OverBudgetAtGpt4o(policy)));
    }

    [Fact]
    public async Task PromptBuiltByAHelper_IsCountedThroughTheHelper()
    {
        // Two constants of about 2,600 tokens each, joined by a StringBuilder in a helper the call reads: the count
        // is the helper's static text, the profile is left out. The same helper made recursive is not followed.
        string first = Policy(130), second = Policy(131);
        string source = """
            using System.Text;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                private const string Instructions = "FIRST";
                private const string SourceRules = "SECOND";
                private readonly ChatClient _client = new("gpt-4o", "key");

                public Task RunAsync(string profile, string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage({|#0:SystemPrompt(profile)|}), new UserChatMessage(question));

                public Task RecursiveAsync(string profile, string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage(Recursive(profile)), new UserChatMessage(question));

                private static string SystemPrompt(string profile)
                {
                    var system = new StringBuilder();
                    system.AppendLine(Instructions);
                    system.AppendLine(SourceRules);
                    system.Append(profile);
                    return system.ToString();
                }

                private static string Recursive(string profile) => Instructions + SourceRules + Recursive(profile);
            }
            """.Replace("FIRST", first).Replace("SECOND", second);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage(OverBudgetAtGpt4o(first + "\n" + second + "\n")));
    }

    [Fact]
    public async Task PromptOfAComputedProperty_IsReportedOnceAtItsName()
    {
        // An expression-bodied property built from two constants of about 2,600 tokens each, read by two calls.
        string first = Policy(130), second = Policy(131);
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                private const string Instructions = "FIRST";
                private const string SourceRules = "SECOND";
                private readonly ChatClient _client = new("gpt-4o", "key");

                private string {|#0:SystemPrompt|} => $"{Instructions}\n{SourceRules}";

                public Task RunAsync(string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage(SystemPrompt), new UserChatMessage(question));

                public Task AgainAsync(string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage(SystemPrompt), new UserChatMessage(question + "?"));
            }
            """.Replace("FIRST", first).Replace("SECOND", second);
        int tokens = TokenCounter.Count(first + "\n" + second).Value;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage($"This prompt has {tokens:N0} tokens, over the budget of 4,000"));
    }

    [Fact]
    public async Task PromptPassedToTheMethodThatSendsIt_IsReportedAtTheCaller()
    {
        // The caller's two constants of about 2,600 tokens each reach the model through AskAsync's parameter. The
        // second method's own rules are over the budget: reported there once, not again at its caller's short text.
        string first = Policy(130), second = Policy(131), own = Policy(262);
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                private const string Instructions = "FIRST";
                private const string SourceRules = "SECOND";
                private const string OwnRules = "OWN";
                private readonly ChatClient _client = new("gpt-4o", "key");

                public Task AnswerAsync(string question) => AskAsync({|#0:Instructions + "\n" + SourceRules|}, question);

                public Task ShortAsync(string question) => RulesFirstAsync("Be brief.", question);

                private Task AskAsync(string systemPrompt, string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage(systemPrompt), new UserChatMessage(question));

                private Task RulesFirstAsync(string note, string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage({|#1:OwnRules + note|}), new UserChatMessage(question));
            }
            """.Replace("FIRST", first).Replace("SECOND", second).Replace("OWN", own);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage(OverBudgetAtGpt4o(first + "\n" + second)),
            Verify.Diagnostic("TL4001").WithLocation(1).WithMessage(OverBudgetAtGpt4o(own)));
    }

    [Fact]
    public async Task PromptsWithinBudget_AreNotReported()
    {
        await Verify.VerifyAnalyzerAsync(Source(Policy(150)));
    }

    [Fact]
    public async Task BudgetOption_IsRead()
    {
        string policy = Policy(10);
        int tokens = TokenCounter.Count(policy).Value;
        await Verify.VerifyAnalyzerAsync(Source(policy), "tokenlint.tl4001.max_prompt_tokens = 100",
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage($"This prompt has {tokens:N0} tokens, over the budget of 100"));
    }

    [Fact]
    public async Task PromptBudgetAttribute_SetsOnePromptsBudget()
    {
        string policy = Policy(260);
        int tokens = TokenCounter.Count(policy).Value;
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using TokenLint;

            class Agent
            {
                [PromptBudget(8000)]
                private const string Policy = "POLICY";

                [PromptBudget(100)]
                private const string {|#0:Rules = "RULES"|};

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(Policy), new SystemChatMessage(Rules), new UserChatMessage(question));
            }
            """.Replace("POLICY", policy).Replace("RULES", Policy(10));
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage($"This prompt has {TokenCounter.Count(Policy(10)).Value:N0} tokens, over the budget of 100"));
    }

    [Fact]
    public async Task PromptFiles_AreChecked()
    {
        string policy = Policy(300);
        var test = new Verify.Test { TestCode = "class C { }" };
        test.TestState.AdditionalFiles.Add(("/0/support.prompt.md", policy));
        test.TestState.AdditionalFiles.Add(("/0/notes.md", policy));
        test.TestState.AdditionalFiles.Add(("/0/agents/triage.yaml", policy));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\ntokenlint.tl4001.prompt_files = *.yaml\n"));
        string message = $"This prompt has {TokenCounter.Count(policy).Value:N0} tokens, over the budget of 4,000";
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithSpan("/0/support.prompt.md", 1, 1, 1, 1).WithMessage(message));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithSpan("/0/agents/triage.yaml", 1, 1, 1, 1).WithMessage(message));
        await test.RunAsync();
    }

    [Fact]
    public async Task ConstantCachedPromptSections_AreReportedAtTheirDeclaration_WithTheTypesModel()
    {
        string policy = Policy(260);
        string source = """
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                public const string {|#0:Policy = "POLICY"|};

                [PromptSection(Stability.Static, Order = 1)]
                public static readonly string {|#1:Rules = "POLICY"|};

                [PromptSection(Stability.Static, Order = 2)]
                [PromptBudget(8000)]
                public const string Examples = "POLICY";

                [PromptSection(Stability.Volatile)]
                public static string Now => DateTime.UtcNow.ToString("O");

                public const string NotASection = "POLICY";
            }

            class Agent
            {
                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o-mini", "key").CompleteChatAsync(new SystemChatMessage(SupportPrompt.Policy), new UserChatMessage(question));
            }
            """.Replace("POLICY", policy);
        string message = OverBudgetAtGpt4o(policy);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage(message),
            Verify.Diagnostic("TL4001").WithLocation(1).WithMessage(message));
    }

    [Fact]
    public async Task CachedPromptSectionWithoutAModel_IsReportedWithoutDollars()
    {
        string policy = Policy(260);
        int tokens = TokenCounter.Count(policy).Value;
        string source = """
            using TokenLint;

            [CachedPrompt]
            partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                public const string {|#0:Policy = "POLICY"|};

                [PromptSection(Stability.Static, Order = 1)]
                public const string Short = "Answer in English.";
            }
            """.Replace("POLICY", policy);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage($"This prompt has {tokens:N0} tokens, over the budget of 4,000"));
    }
}

public sealed class TokenCountingFellBackTests
{
    [Fact]
    public async Task TokenizerThatLoads_IsNotReported()
    {
        // Counting once makes sure the tokenizer was asked for; it loads here, so nothing is said.
        Assert.False(TokenCounter.Count("hello world").IsEstimate);
        await TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
            TokenLint.Analyzers.Rules.TokenCountingFellBackAnalyzer, EmptyCodeFixProvider>.VerifyAnalyzerAsync("class C { }");
    }
}
