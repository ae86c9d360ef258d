using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer,
    TokenLint.CodeFixes.Rules.VolatileValueBeforeCacheablePrefixFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class VolatileValueBeforeCacheablePrefixTests
{
    /// <summary>About 1,300 tokens of support policy: big enough to be worth caching.</summary>
    internal static readonly string Policy = string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", 70));

    internal static string Message(string subject, string what, string staticText) =>
        $"{subject} {what} and comes before {TokenCounter.Count(staticText)} tokens of static prompt text, {Consequence(what)}; move it after the static text";

    private static string Consequence(string what) => what switch
    {
        "changes on every call" => "so the provider cannot cache that text",
        "changes every day" => "so that text is written to the cache again every day",
        _ => "so that text is cached once per distinct value instead of once for every caller",
    };

    internal static string WithPolicy(string source) => source.Replace("POLICY", $"    private const string Policy = \"{Policy}\";");

    [Fact]
    public async Task OpenAISystemMessageStartingWithTheDate_IsReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY

                public Task RunAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(
                        new SystemChatMessage($"Today is {|#0:{DateTime.UtcNow:D}|}. You are a support agent.\n{Policy}"),
                        new UserChatMessage(question));
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", ". You are a support agent.\n" + Policy)));
    }

    [Fact]
    public async Task Fix_MovesTheDateSentenceToTheEnd()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY

                public Task RunAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(
                        new SystemChatMessage($"Today is {|#0:{DateTime.UtcNow:D}|}. You are a support agent.\n{Policy}"),
                        new UserChatMessage(question));
            }
            """);
        string fixedSource = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY

                public Task RunAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(
                        new SystemChatMessage($"You are a support agent.\n{Policy}\nToday is {DateTime.UtcNow:D}."),
                        new UserChatMessage(question));
            }
            """);
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", ". You are a support agent.\n" + Policy)));
    }

    [Fact]
    public async Task Fix_MovesALineOfARawStringToTheEnd()
    {
        string source = WithPolicy(""""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
            POLICY

                public Task<ChatResponse> RunAsync(IChatClient chat, string question) =>
                    chat.GetResponseAsync([
                        new ChatMessage(ChatRole.System, $"""
                            Session started {|#0:{DateTime.UtcNow:O}|}
                            You are a support agent.
                            {Policy}
                            """),
                        new ChatMessage(ChatRole.User, question),
                    ]);
            }
            """");
        string fixedSource = WithPolicy(""""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
            POLICY

                public Task<ChatResponse> RunAsync(IChatClient chat, string question) =>
                    chat.GetResponseAsync([
                        new ChatMessage(ChatRole.System, $"""
                            You are a support agent.
                            {Policy}
                            Session started {DateTime.UtcNow:O}
                            """),
                        new ChatMessage(ChatRole.User, question),
                    ]);
            }
            """");
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow'", "changes on every call", "\nYou are a support agent.\n" + Policy)));
    }

    [Fact]
    public async Task AnthropicSystemBlocksWithAGuidFirst_IsReported()
    {
        await Verify.VerifyAnalyzerAsync(AnthropicSystem("$\"Request id: {{|#0:Guid.NewGuid()|}}\"", breakpoint: ""),
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'Guid.NewGuid()'", "changes on every call", Policy)));
    }

    [Fact]
    public async Task PerCallValueBeforeAnExplicitBreakpoint_IsLeftToTL2004()
    {
        // TL2004 reports this value at the breakpoint, with the cache-write cost and the fix that moves it.
        await Verify.VerifyAnalyzerAsync(AnthropicSystem("$\"Request id: {Guid.NewGuid()}\"", breakpoint: " { CacheControl = new CacheControlEphemeral() }"));
    }

    [Fact]
    public async Task DailyValueBeforeAnExplicitBreakpoint_IsStillReported()
    {
        // TL2004 is about per-call values only: a date rewrites the cache once a day, which is TL2001's to say.
        await Verify.VerifyAnalyzerAsync(AnthropicSystem("$\"Today is {|#0:{DateTime.UtcNow:D}|}\"", breakpoint: " { CacheControl = new CacheControlEphemeral() }"),
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", Policy)));
    }

    private static string AnthropicSystem(string firstBlock, string breakpoint) => WithPolicy($$"""
        using System;
        using System.Collections.Generic;
        using Anthropic;
        using Anthropic.Models.Messages;

        class Agent
        {
        POLICY

            public void Run(AnthropicClient client, string question) =>
                client.Messages.Create(new MessageCreateParams
                {
                    Model = "claude-sonnet-4-6",
                    MaxTokens = 1024,
                    System = new List<TextBlockParam>
                    {
                        new({{firstBlock}}),
                        new(Policy){{breakpoint}},
                    },
                    Messages = [new UserMessageParam(question)],
                });
        }
        """);

    [Fact]
    public async Task ParameterBeforePolicyInExtensionsAIMessages_IsReportedAsPerRequest()
    {
        string source = WithPolicy("""
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
            POLICY

                public Task<ChatResponse> AnswerAsync(IChatClient chat, string customerName, string question) =>
                    chat.GetResponseAsync([
                        new ChatMessage(ChatRole.System, $"You are talking to {{|#0:customerName|}}.\n{Policy}"),
                        new ChatMessage(ChatRole.User, question),
                    ]);
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'customerName'", "changes per request", ".\n" + Policy)));
    }

    [Fact]
    public async Task StringBuilderAndChatHistoryPrompts_AreReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Text;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class Agent
            {
            POLICY

                public Task BuilderAsync(ChatClient client, string question)
                {
                    var system = new StringBuilder();
                    system.AppendLine($"Now: {{|#0:DateTime.Now|}}");
                    system.Append(Policy);
                    return client.CompleteChatAsync(new SystemChatMessage(system.ToString()), new UserChatMessage(question));
                }

                public Task HistoryAsync(IChatCompletionService chat, string question)
                {
                    var history = new ChatHistory($"Ticks: {{|#1:Environment.TickCount64|}}\n" + Policy);
                    history.AddUserMessage(question);
                    return chat.GetChatMessageContentAsync(history);
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.Now'", "changes on every call", "\n" + Policy)),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(Message("'Environment.TickCount64'", "changes on every call", "\n" + Policy)));
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
                private readonly string _tenantName = Environment.GetEnvironmentVariable("TENANT") ?? "";

                public async Task RunAsync(ChatClient client, string question)
                {
                    // The date already at the end of the static text.
                    await client.CompleteChatAsync(new SystemChatMessage($"{Policy}\nToday is {DateTime.UtcNow:D}."), new UserChatMessage(question));

                    // Volatile values only in the last user message.
                    await client.CompleteChatAsync(new SystemChatMessage(Policy), new UserChatMessage($"It is {DateTime.UtcNow:t}. {question}"));

                    // Too short to be cached anyway.
                    await client.CompleteChatAsync(new SystemChatMessage($"Today is {DateTime.UtcNow:D}. Be brief."), new UserChatMessage(question));

                    // A value whose changes can't be told at build time.
                    await client.CompleteChatAsync(new SystemChatMessage($"Tenant: {_tenantName}\n{Policy}"), new UserChatMessage(question));
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task MinStaticTokensOption_ReportsShorterPrefixes()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public Task RunAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage($"Today is {|#0:{DateTime.UtcNow:D}|}. Be brief and polite."), new UserChatMessage(question));
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl2001.min_static_tokens = 3",
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", ". Be brief and polite.")));
    }
}
