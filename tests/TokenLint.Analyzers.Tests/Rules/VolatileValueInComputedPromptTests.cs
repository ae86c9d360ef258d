using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer,
    TokenLint.CodeFixes.Rules.VolatileValueBeforeCacheablePrefixFixer>;
using static TokenLint.Analyzers.Tests.Rules.VolatileValueBeforeCacheablePrefixTests;
using static TokenLint.Analyzers.Tests.Rules.VolatileValueInBuiltPromptTests;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL2001 on prompts that computed members build: an expression-bodied string property (its getter runs on every
/// read), a local function, and a <c>static readonly</c> text declared in another file.
/// </summary>
public sealed class VolatileValueInComputedPromptTests
{
    [Fact]
    public async Task ComputedPropertyWithTheTime_IsReportedInTheProperty_OnOpenAIAndSemanticKernel()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class Agent
            {
            POLICY

                private string SystemPrompt => $"Current time: {|#0:{DateTime.UtcNow:HH:mm}|}\n{Policy}";

                private string KernelPrompt
                {
                    get { return $"Today is {|#1:{DateTime.Now:D}|}.\n{Policy}"; }
                }

                public Task OpenAIAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage(SystemPrompt), new UserChatMessage(question));

                public Task KernelAsync(IChatCompletionService chat, string question)
                {
                    var history = new ChatHistory(KernelPrompt);
                    history.AddUserMessage(question);
                    return chat.GetChatMessageContentAsync(history);
                }
            }
            """);
        await VerifyNoFixAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow'", "changes on every call", "\n" + Policy)),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(Message("'DateTime.Now' (a date)", "changes every day", ".\n" + Policy)));
    }

    [Fact]
    public async Task LocalFunction_IsFollowed_AndItsValueMovedByTheFix()
    {
        // The local function is part of the method's body: the fix is offered there.
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
            POLICY

                public Task<ChatResponse> AnswerAsync(IChatClient chat, string question)
                {
                    return chat.GetResponseAsync([
                        new ChatMessage(ChatRole.System, BuildPrompt()),
                        new ChatMessage(ChatRole.User, question),
                    ]);

                    string BuildPrompt() => $"Request {{|#0:Guid.NewGuid()|}}.\n{Policy}";
                }
            }
            """);
        string fixedSource = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
            POLICY

                public Task<ChatResponse> AnswerAsync(IChatClient chat, string question)
                {
                    return chat.GetResponseAsync([
                        new ChatMessage(ChatRole.System, BuildPrompt()),
                        new ChatMessage(ChatRole.User, question),
                    ]);

                    string BuildPrompt() => $"{Policy}\nRequest {Guid.NewGuid()}.";
                }
            }
            """);
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'Guid.NewGuid()'", "changes on every call", ".\n" + Policy)));
    }

    [Fact]
    public async Task LocalFunctionReadingTheMethodsParameter_IsReportedPerRequest()
    {
        string source = WithPolicy("""
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY

                public Task AnswerAsync(ChatClient client, string customer, string question)
                {
                    string Prompt() => $"Customer: {{|#0:customer|}}\n{Policy}";
                    return client.CompleteChatAsync(new SystemChatMessage(Prompt()), new UserChatMessage(question));
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'customer'", "changes per request", "\n" + Policy)));
    }

    [Fact]
    public async Task StaticReadonlyTextInAnotherFile_CountsAsStaticText()
    {
        // The policy is a static readonly interpolation of constants in a Prompts class of its own file: the date
        // before it is reported with the policy's count.
        string source = """
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public Task AnswerAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage($"It is {|#0:{DateTime.UtcNow:t}|}.\n{Prompts.System}"), new UserChatMessage(question));
            }
            """;
        string prompts = WithPolicy("""
            static class Prompts
            {
            POLICY
                private static readonly string Tone = "Be " + "polite.";
                public static readonly string System = $"{Tone}\n{Policy}";
            }
            """);
        var test = new Verify.Test { TestCode = source };
        test.TestState.Sources.Add(("Prompts.cs", prompts));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow'", "changes on every call", ".\nBe polite.\n" + Policy)));
        await test.RunAsync(System.Threading.CancellationToken.None);
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY

                // Computed once, when the object or the type is created: the same text on every call.
                private string Started { get; } = $"Started {DateTime.UtcNow:O}\n{Policy}";
                private static readonly string Loaded = $"Loaded {DateTime.UtcNow:O}\n{Policy}";

                // The value already after the policy; a virtual property another type may override.
                private string After => $"{Policy}\nIt is {DateTime.UtcNow:O}";
                protected virtual string Overridable => $"It is {DateTime.UtcNow:O}\n{Policy}";

                // Too little static text after the value.
                private string Short => $"It is {DateTime.UtcNow:O}. Be brief.";

                public async Task AnswerAsync(ChatClient client, string question)
                {
                    await client.CompleteChatAsync(new SystemChatMessage(Started), new UserChatMessage(question));
                    await client.CompleteChatAsync(new SystemChatMessage(Loaded), new UserChatMessage(question));
                    await client.CompleteChatAsync(new SystemChatMessage(After), new UserChatMessage(question));
                    await client.CompleteChatAsync(new SystemChatMessage(Overridable), new UserChatMessage(question));
                    await client.CompleteChatAsync(new SystemChatMessage(Short), new UserChatMessage(question));
                    await client.CompleteChatAsync(new SystemChatMessage(Branching(question.Length > 3)), new UserChatMessage(question));

                    string Branching(bool brief)
                    {
                        if (brief)
                        {
                            return $"It is {DateTime.UtcNow:O}. Be brief.";
                        }

                        return Policy;
                    }
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source);
    }
}
