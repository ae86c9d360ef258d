using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptOverBudgetAnalyzer,
    TokenLint.CodeFixes.Rules.PromptOverBudgetFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL4001's fix: a prompt constant moves into a new [CachedPrompt] type as its static section. Budgets are small
/// (10 tokens) so that the inputs stay readable; every fixed state must compile, and each test runs FixAll too.
/// </summary>
public sealed class PromptOverBudgetFixerTests
{
    private const string SmallBudget = "tokenlint.tl4001.max_prompt_tokens = 10";

    private const string Policy = "Refunds are issued within 14 days of purchase when the item is unused and in its original box.";

    private static Verify.Test FixTest(string source, params (string Name, string Text)[] fixedSources)
    {
        // TL4001 on a constant is reported while the call that sends it is analysed, at the constant: Roslyn counts
        // it as non-local to the call's member. dotnet format and full-solution analysis see it and apply the fix.
        var test = new Verify.Test { TestCode = source, CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck };
        test.AddEditorConfig(SmallBudget);
        foreach (var (name, text) in fixedSources)
        {
            test.FixedState.Sources.Add((name, text));
        }

        return test;
    }

    /// <summary>A test of source the fix leaves as it is, with TL4001 at its locations #0 to #(count - 1) before and after.</summary>
    private static Verify.Test NoFixTest(string source, int diagnostics)
    {
        var test = FixTest(source, ("/0/Test0.cs", source));
        for (int i = 0; i < diagnostics; i++)
        {
            test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(i));
            test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(i));
        }

        return test;
    }

    /// <summary>A private constant sent as the system prompt: the plainest case.</summary>
    private static readonly string AgentSendingPolicy = """
        using System.Threading.Tasks;
        using OpenAI.Chat;

        namespace Support;

        class Agent
        {
            private const string {|#0:Policy = "POLICY"|};

            public Task RunAsync(string question) =>
                new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(Policy), new UserChatMessage(question));
        }
        """.Replace("POLICY", Policy);

    /// <summary><see cref="AgentSendingPolicy"/> fixed.</summary>
    private static readonly string AgentPolicyMoved = """
        using System.Threading.Tasks;
        using OpenAI.Chat;
        using TokenLint;

        namespace Support;

        class Agent
        {
            public Task RunAsync(string question) =>
                new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(AgentPolicyPrompt.Policy), new UserChatMessage(question));
        }

        /// <summary>The prompt that was <c>Support.Agent.Policy</c>, as a static section the [CachedPrompt] generator lays out first.</summary>
        [CachedPrompt]
        internal static partial class AgentPolicyPrompt
        {
            [PromptSection(Stability.Static)]
            internal const string {|#0:Policy = "POLICY"|};
        }

        """.Replace("POLICY", Policy);

    [Fact]
    public async Task PrivateConstant_MovesIntoANewCachedPromptType_AndItsReferencesFollow()
    {
        string source = AgentSendingPolicy;
        string fixedSource = AgentPolicyMoved;
        var test = FixTest(source, ("/0/Test0.cs", fixedSource));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        await test.RunAsync();
    }

    [Theory]
    // Another namespace's type of that name, imported into the namespace by a using elsewhere.
    [InlineData("using Other;\n\nnamespace Support;\n\nclass Report\n{\n    string Name => AgentPolicyPrompt.Name;\n}\n", "namespace Other;\n\nstatic class AgentPolicyPrompt\n{\n    public const string Name = \"other\";\n}\n")]
    // A using alias of that name.
    [InlineData("using AgentPolicyPrompt = System.String;\n\nnamespace Support;\n\nclass Report\n{\n    string Name => AgentPolicyPrompt.Empty;\n}\n", "")]
    public async Task NewTypeName_DoesNotHideATypeOrAliasOfThatNameThatTheNamespaceImports(string report, string other)
    {
        var test = FixTest(AgentSendingPolicy, ("/0/Test0.cs", AgentPolicyMoved.Replace("AgentPolicyPrompt", "AgentPolicyPrompt2")), ("/0/Test1.cs", report), ("/0/Test2.cs", other));
        test.TestState.Sources.Add(("/0/Test1.cs", report));
        test.TestState.Sources.Add(("/0/Test2.cs", other));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        await test.RunAsync();
    }

    [Fact]
    public async Task PublicConstant_StaysAsAnAliasForOtherAssemblies_AndEveryFileReadsTheSection()
    {
        const string policy = "\"\"\"\n        " + Policy + "\n        Never promise a refund date.\n        \"\"\"";
        string source = """
            namespace Support
            {
                public static class SupportPolicy
                {
                    public const string {|#0:Text =
                        POLICY|};
                }
            }
            """.Replace("POLICY", policy);
        const string chat = """
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using Support;

            namespace Chat;

            class SupportChat
            {
                public string Name => nameof(SupportPolicy.Text);

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(Support.SupportPolicy.Text), new UserChatMessage(question));
            }
            """;
        string fixedSource = """
            using TokenLint;

            namespace Support
            {
                public static class SupportPolicy
                {
                    public const string Text =
                        SupportPolicyTextPrompt.Text;
                }

                /// <summary>The prompt that was <c>Support.SupportPolicy.Text</c>, as a static section the [CachedPrompt] generator lays out first.</summary>
                [CachedPrompt]
                public static partial class SupportPolicyTextPrompt
                {
                    [PromptSection(Stability.Static)]
                    public const string {|#0:Text = POLICY|};
                }
            }
            """.Replace("POLICY", policy);
        const string fixedChat = """
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using Support;

            namespace Chat;

            class SupportChat
            {
                public string Name => nameof(SupportPolicyTextPrompt.Text);

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(SupportPolicyTextPrompt.Text), new UserChatMessage(question));
            }
            """;
        var test = FixTest(source, ("/0/Test0.cs", fixedSource), ("/0/Test1.cs", fixedChat));
        test.TestState.Sources.Add(("/0/Test1.cs", chat));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        await test.RunAsync();
    }

    [Fact]
    public async Task BudgetAttributeAndDocComment_MoveWithTheText()
    {
        string source = """
            using Microsoft.Extensions.AI;
            using TokenLint;

            namespace Support
            {
                class Agent(IChatClient chat)
                {
                    /// <summary>Refund rules.</summary>
                    [PromptBudget(12)]
                    private const string {|#0:Policy = @"POLICY"|};

                    public object Run(string question) => chat.GetResponseAsync([new(ChatRole.System, Policy), new(ChatRole.User, question)]);
                }
            }
            """.Replace("POLICY", Policy);
        string fixedSource = """
            using Microsoft.Extensions.AI;
            using TokenLint;

            namespace Support
            {
                class Agent(IChatClient chat)
                {
                    public object Run(string question) => chat.GetResponseAsync([new(ChatRole.System, AgentPolicyPrompt.Policy), new(ChatRole.User, question)]);
                }

                /// <summary>The prompt that was <c>Support.Agent.Policy</c>, as a static section the [CachedPrompt] generator lays out first.</summary>
                [CachedPrompt]
                internal static partial class AgentPolicyPrompt
                {
                    /// <summary>Refund rules.</summary>
                    [PromptSection(Stability.Static)]
                    [PromptBudget(12)]
                    internal const string {|#0:Policy = @"POLICY"|};
                }
            }
            """.Replace("POLICY", Policy);
        var test = FixTest(source, ("/0/Test0.cs", fixedSource));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        await test.RunAsync();
    }

    [Fact]
    public async Task TwoConstants_EachGetATypeOfTheirOwn_AlsoInFixAll()
    {
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                const string {|#0:Policy = "POLICY"|};
                const string {|#1:SystemPrompt = "POLICY Be brief."|};

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(SystemPrompt), new SystemChatMessage(Policy), new UserChatMessage(question));
            }
            """.Replace("POLICY", Policy);
        string fixedSource = """
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using TokenLint;

            class Agent
            {
                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(AgentSystemPrompt.SystemPrompt), new SystemChatMessage(AgentPolicyPrompt.Policy), new UserChatMessage(question));
            }

            /// <summary>The prompt that was <c>Agent.Policy</c>, as a static section the [CachedPrompt] generator lays out first.</summary>
            [CachedPrompt]
            internal static partial class AgentPolicyPrompt
            {
                [PromptSection(Stability.Static)]
                internal const string {|#0:Policy = "POLICY"|};
            }

            /// <summary>The prompt that was <c>Agent.SystemPrompt</c>, as a static section the [CachedPrompt] generator lays out first.</summary>
            [CachedPrompt]
            internal static partial class AgentSystemPrompt
            {
                [PromptSection(Stability.Static)]
                internal const string {|#1:SystemPrompt = "POLICY Be brief."|};
            }

            """.Replace("POLICY", Policy);
        var test = FixTest(source, ("/0/Test0.cs", fixedSource));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(1));
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(1));
        await test.RunAsync();
    }

    [Fact]
    public async Task TextThatCannotMoveSafely_GetsNoFix()
    {
        // A static readonly field, an interpolated constant and a concatenation may read names the new type cannot
        // see; a prompt written at the call has no constant to move; [Description] would need its using.
        string source = """
            using System.ComponentModel;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                const string Brand = "Contoso";
                static readonly string {|#0:Loaded = "POLICY"|};
                const string {|#1:Interpolated = $"{Brand}: POLICY"|};
                const string {|#2:Joined = Brand + "POLICY"|};
                [Description("policy")]
                const string {|#3:Described = "POLICY"|};

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(
                        new SystemChatMessage(Loaded), new SystemChatMessage(Interpolated), new SystemChatMessage(Joined),
                        new SystemChatMessage(Described), new SystemChatMessage({|#4:"POLICY"|}), new UserChatMessage(question));
            }
            """.Replace("POLICY", Policy);
        await NoFixTest(source, 5).RunAsync();
    }

    [Fact]
    public async Task NewType_GoesBeforeAnIfBlockThatFollowsTheType_NotInsideIt()
    {
        const string IfDebugBlock = """
            #if DEBUG
            class DebugAgent
            {
            }
            #endif
            """;
        string source = AgentSendingPolicy + "\n\n" + IfDebugBlock;
        string fixedSource = AgentPolicyMoved + "\n" + IfDebugBlock;
        var test = FixTest(source, ("/0/Test0.cs", fixedSource));
        // A Debug build: the #if block is compiled, so the namespace's last member is inside it.
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectParseOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)solution.GetProject(projectId)!.ParseOptions!).WithPreprocessorSymbols("DEBUG")));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4001").WithLocation(0));
        await test.RunAsync();
    }

    [Fact]
    public async Task TypeThatOpensAnIfBlockItDoesNotClose_GetsNoFix()
    {
        // The #if opened inside the type is closed after it: the new type would land inside the block.
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                private const string {|#0:Policy = "POLICY"|};

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(Policy), new UserChatMessage(question));
            #if !LEGACY
            }
            #else
                public void Legacy() { }
            }
            #endif
            """.Replace("POLICY", Policy);
        await NoFixTest(source, 1).RunAsync();
    }

    [Fact]
    public async Task ConstantsNamedLikeGeneratedMembers_GetNoFix()
    {
        // The generator adds these to the new type: a section of the same name would clash with them.
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                private const string {|#0:GetTools = "POLICY"|};
                private const string {|#1:FormatPromptPairs = "POLICY"|};
                private const string {|#2:PromptFile1 = "POLICY"|};

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(
                        new SystemChatMessage(GetTools), new SystemChatMessage(FormatPromptPairs), new SystemChatMessage(PromptFile1), new UserChatMessage(question));
            }
            """.Replace("POLICY", Policy);
        await NoFixTest(source, 3).RunAsync();
    }

    [Fact]
    public async Task SectionOfACachedPromptType_GetsNoFix()
    {
        string source = """
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            public partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                public const string {|#0:Policy = "POLICY"|};
            }
            """.Replace("POLICY", Policy);
        await NoFixTest(source, 1).RunAsync();
    }

    [Fact]
    public async Task ProjectWithoutTokenLintsAttributes_GetsNoFix()
    {
        // The new type would not compile without [CachedPrompt]: the fix is not offered.
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                private const string {|#0:Policy = "POLICY"|};

                public Task RunAsync(string question) =>
                    new ChatClient("gpt-4o", "key").CompleteChatAsync(new SystemChatMessage(Policy), new UserChatMessage(question));
            }
            """.Replace("POLICY", Policy);
        var test = NoFixTest(source, 1);
        test.TestState.AdditionalReferences.RemoveAll(r => r.Display?.EndsWith("TokenLint.dll", System.StringComparison.Ordinal) == true);
        await test.RunAsync();
    }
}
