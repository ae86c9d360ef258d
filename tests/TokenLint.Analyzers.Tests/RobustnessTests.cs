using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
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

    /// <summary>Every exported analyzer (found by reflection, so a new rule cannot be left out) over every snippet.</summary>
    public static TheoryData<string, int> AnalyzerAndSnippet()
    {
        var data = new TheoryData<string, int>();
        foreach (var analyzer in ExportedRules.AnalyzerTypes)
        {
            for (int snippet = 0; snippet < BrokenCode().Count; snippet++)
            {
                data.Add(analyzer.Name, snippet);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AnalyzerAndSnippet))]
    public Task Analyzer_DoesNotThrowOnBrokenCode(string analyzer, int snippet)
    {
        var type = ExportedRules.AnalyzerTypes.Single(t => t.Name == analyzer);
        string source = (string)((IEnumerable<object[]>)BrokenCode()).ElementAt(snippet)[0];
        return (Task)typeof(RobustnessTests).GetMethod(nameof(Run), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, new object[] { source })!;
    }

    [Fact]
    public void TheTheoryCoversEveryExportedAnalyzerOnce()
    {
        var covered = ((IEnumerable<object[]>)AnalyzerAndSnippet()).Select(row => (string)row[0]).Distinct().ToList();
        Assert.Equal(ExportedRules.AnalyzerTypes.Select(t => t.Name), covered);
        Assert.Equal(ExportedRules.AnalyzerTypes.Length, ExportedRules.AnalyzerTypes.Select(t => t.Name).Distinct().Count());
    }

    /// <summary>No diagnostic is expected: on code this broken, a rule stays silent rather than guess.</summary>
    private static async Task Run<TAnalyzer>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new TokenLintVerifier<TAnalyzer, EmptyCodeFixProvider>.Test { TestCode = source, CompilerDiagnostics = CompilerDiagnostics.None };
        await test.RunAsync();
    }
}
