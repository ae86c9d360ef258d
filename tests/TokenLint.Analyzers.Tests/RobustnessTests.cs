using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using TokenLint.Analyzers.Rules;
using TokenLint.CodeFixes.Rules;
using TokenLint.Analyzers.Tests.Verifiers;

namespace TokenLint.Analyzers.Tests;

/// <summary>
/// Code mid-edit: half-typed calls, missing arguments, unknown types. The analyzers must stay silent rather than
/// throw (an analyzer exception fails these tests as AD0001 would fail a user's build).
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> BrokenCode() => new()
    {
        """
        using OpenAI.Chat;
        class C { void M(string key) { var c = new ChatClient(; c.CompleteChat( } }
        """,
        """
        using OpenAI.Chat;
        class C { ChatClient _c = new ChatClient("gpt-4o", ); void M() => _c.CompleteChatAsync(new UserChatMessage(), new ChatCompletionOptions { MaxOutputTokenCount = }); }
        """,
        """
        using Anthropic; using Anthropic.Models.Messages;
        class C { void M(AnthropicClient c) => c.Messages.Create(new MessageCreateParams { Model = Model., MaxTokens = "ten", Messages = [new UserMessageParam(] }); }
        """,
        """
        using Microsoft.Extensions.AI;
        class C { async void M(IChatClient c) { var x = c.AsBuilder().Build(); await x.GetResponseAsync<Unknown>(missing, new ChatOptions { ModelId = 42 }); } }
        """,
        """
        using Microsoft.SemanticKernel;
        class C { void M() { var b = Kernel.CreateBuilder(); b.AddOpenAIChatCompletion(); b.AddOpenAIChatCompletion("gpt-4o",; var k = b.Build(); k.InvokePromptAsync(); } }
        """,
        """
        using OpenAI.Chat;
        class C { const string M = M; void N(string k) { var c = new ChatClient(M, k); var o = o; c.CompleteChat([], o); } }
        """,
        """
        using System; using System.Text; using OpenAI.Chat;
        class C { void M(ChatClient c) { var sb = new StringBuilder(; sb.Append($"{DateTime.Now:}").AppendLine(; c.CompleteChat(new SystemChatMessage(sb.ToString()), new UserChatMessage($"{")); } }
        """,
        """
        using System.Collections.Generic; using Anthropic; using Anthropic.Models.Messages;
        class C { void M(AnthropicClient c) => c.Messages.Create(new() { System = new List<TextBlockParam> { new() { CacheControl = new CacheControlEphemeral { Ttl = } }, new(, }, Tools = [.. x.Values], Messages = [] }); }
        """,
        """
        using System; using Polly; using OpenAI.Chat;
        class C { void M(ChatClient c) { while (true) { try { c.CompleteChat(; } catch { throw; } } do { } while (c.CompleteChat().Value.FinishReason == ChatFinishReason.); Policy.Handle<>().RetryForever(.Execute(() => c.CompleteChat()); } }
        """,
        """
        using Microsoft.Extensions.AI;
        class C { void M(IChatClient c) { new ChatClientBuilder(c).UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = ).Build(); c.GetResponseAsync(new ChatOptions { Tools = [.. ] }); } }
        """,
        """
        using System.Collections.Generic; using Microsoft.Extensions.AI; using OpenAI.Chat;
        class C { async void M(IChatClient c, ChatClient o, string[] xs) { foreach (var x in xs) { var a = await c.GetResponseAsync(; var b = await c.GetResponseAsync(missing, new ChatOptions { Temperature = }); } await o.CompleteChatAsync([new UserChatMessage(x)]); await o.CompleteChatAsync([new UserChatMessage(x)]; for (;;) { await c.GetResponseAsync("p"); } } }
        """,
        """
        using TokenLint;
        [CachedPrompt(Model = )] partial class P { [PromptSection(Stability.)] const string A = ; [PromptSection(Stability.Static, Order = )] static readonly string B = "x" + ; [PromptSection] string C => ; }
        [CachedPrompt(Model = "claude-sonnet-4-6")] partial class Q { [PromptSection(Stability.Static)] const string A = Undefined; [PromptSection(Stability.Static)] static readonly string B = ; }
        [CachedPrompt(Model = 42)] partial struct R { [PromptSection(Stability.Static, Order = "1")] const string A = "x" }
        [CachedPrompt(Model = "claude-sonnet-4-6")] [PromptFile()] [PromptFile(null)] [PromptFile(42, Order = )] [PromptFile("", Order = "2")] [PromptFile(Path = )] partial class S { }
        [PromptFile("policy.prompt.md")] class NotAPrompt { }
        """,
        """
        using System.Collections.Generic; using System.Threading.Tasks; using TokenLint;
        [CachedPrompt] partial class T { [PromptSection(Stability.Session)] List<Unknown> A { get; } [PromptSection] Unknown B() => ; [PromptSection((Stability))] string C => ""; [PromptSection(Stability.Static)] IList<AITool> D; [PromptSection(Stability.Volatile)] Task<Missing> E() => ; [PromptSection(Stability.Static, Order = )] Unknown[] F; }
        """,
    };

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task PremiumModelOnTrivialCall_DoesNotThrow(string source) => Run<PremiumModelOnTrivialCallAnalyzer, PremiumModelOnTrivialCallFixer>(source);

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task UnknownOrRetiredModelId_DoesNotThrow(string source) => Run<UnknownOrRetiredModelIdAnalyzer, UnknownOrRetiredModelIdFixer>(source);

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task InvalidConfiguration_DoesNotThrow(string source) => Run<InvalidConfigurationAnalyzer, EmptyCodeFixProvider>(source);

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task VolatileValueBeforeCacheablePrefix_DoesNotThrow(string source) => Run<VolatileValueBeforeCacheablePrefixAnalyzer, VolatileValueBeforeCacheablePrefixFixer>(source);

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task ToolsInUnstableOrder_DoesNotThrow(string source) => Run<ToolsInUnstableOrderAnalyzer, ToolsInUnstableOrderFixer>(source);

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task CacheBreakpointRules_DoNotThrow(string source)
    {
        return Task.WhenAll(
            Run<CacheBreakpointBelowMinimumAnalyzer, EmptyCodeFixProvider>(source),
            Run<CacheBreakpointAfterVolatileContentAnalyzer, CacheBreakpointAfterVolatileContentFixer>(source),
            Run<InvalidCacheBreakpointLayoutAnalyzer, EmptyCodeFixProvider>(source));
    }

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task ContextSizeRules_DoNotThrow(string source)
    {
        return Task.WhenAll(
            Run<PromptOverBudgetAnalyzer, EmptyCodeFixProvider>(source),
            Run<WhitespacePaddingAnalyzer, WhitespacePaddingFixer>(source),
            Run<PromptGrewPastBaselineAnalyzer, PromptGrewPastBaselineFixer>(source),
            Run<HistoryThatOnlyGrowsAnalyzer, EmptyCodeFixProvider>(source),
            Run<LoopInvariantModelCallAnalyzer, LoopInvariantModelCallFixer>(source),
            Run<RepeatedModelRequestAnalyzer, RepeatedModelRequestFixer>(source),
            Run<TokenCountingFellBackAnalyzer, EmptyCodeFixProvider>(source));
    }

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task CachedPromptRules_DoNotThrow(string source)
    {
        return Task.WhenAll(
            Run<CacheBreakpointBelowMinimumAnalyzer, EmptyCodeFixProvider>(source),
            Run<CachedPromptGetsNoBuilderAnalyzer, CachedPromptGetsNoBuilderFixer>(source),
            Run<StaticSectionReadsVolatileValueAnalyzer, EmptyCodeFixProvider>(source),
            Run<PromptSectionsShareAnOrderAnalyzer, EmptyCodeFixProvider>(source),
            Run<PromptFileNotFoundAnalyzer, EmptyCodeFixProvider>(source),
            Run<PromptSectionLeftOutAnalyzer, EmptyCodeFixProvider>(source));
    }

    [Theory]
    [MemberData(nameof(BrokenCode))]
    public Task LoopRules_DoNotThrow(string source)
    {
        return Task.WhenAll(
            Run<UnboundedRetryLoopAnalyzer, UnboundedRetryLoopFixer>(source),
            Run<UnboundedRetryPolicyAnalyzer, UnboundedRetryPolicyFixer>(source),
            Run<AgentLoopWithoutStepLimitAnalyzer, AgentLoopWithoutStepLimitFixer>(source));
    }

    private static async Task Run<TAnalyzer, TCodeFix>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new TokenLintVerifier<TAnalyzer, TCodeFix>.Test { TestCode = source, CompilerDiagnostics = CompilerDiagnostics.None };
        await test.RunAsync();
    }
}
