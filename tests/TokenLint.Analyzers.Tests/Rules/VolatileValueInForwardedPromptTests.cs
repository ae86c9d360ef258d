using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer,
    TokenLint.CodeFixes.Rules.VolatileValueBeforeCacheablePrefixFixer>;
using static TokenLint.Analyzers.Tests.Rules.VolatileValueBeforeCacheablePrefixTests;
using static TokenLint.Analyzers.Tests.Rules.VolatileValueInBuiltPromptTests;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL2001 on a prompt handed as a parameter to the method that sends it (<c>AskAsync(systemPrompt, question)</c>):
/// the text each caller in the compilation passes is judged at that caller, where the fix belongs.
/// </summary>
public sealed class VolatileValueInForwardedPromptTests
{
    private const string OpenAISender = """
            private readonly ChatClient _client = new("gpt-4o", "key");

            private async Task<string> AskAsync(string systemPrompt, string question)
            {
                ChatCompletion completion = await _client.CompleteChatAsync(new SystemChatMessage(systemPrompt), new UserChatMessage(question));
                return completion.Content[0].Text;
            }
        """;

    [Fact]
    public async Task CallerPassingTheDateFirst_IsReportedAtTheCaller_AndFixed()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY
            SENDER

                public Task<string> AnswerAsync(string question) =>
                    AskAsync($"Today is {|#0:{DateTime.UtcNow:D}|}. You are a support agent.\n{Policy}", question);
            }
            """).Replace("SENDER", OpenAISender);
        string fixedSource = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY
            SENDER

                public Task<string> AnswerAsync(string question) =>
                    AskAsync($"You are a support agent.\n{Policy}\nToday is {DateTime.UtcNow:D}.", question);
            }
            """).Replace("SENDER", OpenAISender);
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", ". You are a support agent.\n" + Policy)));
    }

    [Fact]
    public async Task HelperResultThroughTwoMethods_OnExtensionsAIAndAnthropic_IsReportedInTheHelper()
    {
        // The caller passes a helper's result to a method that hands it on to the one that sends it.
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;

            class Agent(IChatClient chat, AnthropicClient anthropic)
            {
            POLICY

                public Task<ChatResponse> AnswerAsync(string question) => AskAsync(Instructions(), question);

                public Task<Message> ClaudeAsync(string question) => ClaudeCoreAsync(Instructions(), question);

                private Task<ChatResponse> AskAsync(string instructions, string question) => SendAsync(instructions, question);

                private Task<ChatResponse> SendAsync(string system, string question) =>
                    chat.GetResponseAsync([new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, question)]);

                private Task<Message> ClaudeCoreAsync(string system, string question) =>
                    anthropic.Messages.Create(new MessageCreateParams
                    {
                        Model = "claude-sonnet-4-6",
                        MaxTokens = 500,
                        System = system,
                        Messages = [new UserMessageParam(question)],
                    });

                private static string Instructions() => $"Session {{|#0:Guid.NewGuid()|}}\n{Policy}";
            }
            """);
        await VerifyNoFixAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'Guid.NewGuid()'", "changes on every call", "\n" + Policy)));
    }

    [Fact]
    public async Task SemanticKernelSenderAndTheRubricShape_AreReportedAtTheCallers()
    {
        // A kernel chat history built from the parameter, and an evaluator whose data comes first in the user
        // message a method sends.
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;
            using OpenAI.Chat;

            class Agent(IChatCompletionService kernelChat, ChatClient judge)
            {
            POLICY

                public Task KernelAsync(string customer, string question) =>
                    ReplyAsync($"You are helping {{|#0:customer|}}.\n{Policy}", question);

                public Task GradeAsync(string answer) =>
                    JudgeAsync($"Answer:\n{{|#1:answer|}}\n\nGrade it against these rules:\n{Policy}");

                private Task ReplyAsync(string system, string question)
                {
                    var history = new ChatHistory(system);
                    history.AddUserMessage(question);
                    return kernelChat.GetChatMessageContentAsync(history, new OpenAIPromptExecutionSettings { ModelId = "gpt-4o" });
                }

                private Task JudgeAsync(string prompt) =>
                    judge.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(prompt));
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'customer'", "changes per request", ".\n" + Policy)),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(
                Message("parameter 'answer'", "changes per request", "\n\nGrade it against these rules:\n" + Policy)
                    .Replace("move it after the static text", "move that text into the system prompt or before the value")));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using OpenAI.Chat;

            class Agent(AnthropicClient anthropic)
            {
            POLICY
            SENDER
                private readonly string _persona = Environment.GetEnvironmentVariable("PERSONA") ?? "";

                public async Task CallersAsync(string question)
                {
                    // A constant, the value after the policy, too little text after the value, a field set at startup.
                    await AskAsync(Policy, question);
                    await AskAsync($"{Policy}\nToday is {DateTime.UtcNow:D}.", question);
                    await AskAsync($"Today is {DateTime.UtcNow:D}. Be brief.", question);
                    await AskAsync($"{_persona}\n{Policy}", question);

                    // The sender puts its own policy first: the value comes after it.
                    await PolicyFirstAsync($"Today is {DateTime.UtcNow:D}.", question);

                    // Opus 4.6 caches from 4,096 tokens: the policy after the value is too short to be cached anyway.
                    await OpusAsync($"Today is {DateTime.UtcNow:D}.\n{Policy}", question);

                    // A virtual sender may be overridden; a recursive one is not followed.
                    await OverridableAsync($"Today is {DateTime.UtcNow:D}.\n{Policy}", question);
                    await RecursiveAsync($"Today is {DateTime.UtcNow:D}.\n{Policy}", question, 2);
                }

                // Called from outside the compilation only: what callers pass is not known.
                public Task<string> ForwardAsync(string systemPrompt, string question) => AskAsync(systemPrompt, question);

                private Task PolicyFirstAsync(string context, string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage(Policy + "\n" + context), new UserChatMessage(question));

                private Task<Message> OpusAsync(string system, string question) =>
                    anthropic.Messages.Create(new MessageCreateParams
                    {
                        Model = "claude-opus-4-6",
                        MaxTokens = 500,
                        System = system,
                        Messages = [new UserMessageParam(question)],
                    });

                protected virtual Task OverridableAsync(string system, string question) =>
                    _client.CompleteChatAsync(new SystemChatMessage(system), new UserChatMessage(question));

                private async Task RecursiveAsync(string system, string question, int retries)
                {
                    if (retries > 0)
                    {
                        await RecursiveAsync(system, question, retries - 1);
                    }

                    await _client.CompleteChatAsync(new SystemChatMessage(system), new UserChatMessage(question));
                }
            }
            """).Replace("SENDER", OpenAISender);
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ValueBeforeTheSendersOwnText_PerRequestIsTheSendersToReport_PerCallIsTheCallers()
    {
        // The sender lays out its parameter before its policy: it is reported there, once, for every caller. A caller
        // passing request data adds nothing to say; a caller passing the time says the text changes on every call.
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            record Request(string Persona, string Question);

            class Agent(ChatClient client)
            {
            POLICY

                public Task PersonaAsync(Request request) => AskAsync(request.Persona, request.Question);

                public Task TimeAsync(string question) => AskAsync({|#1:DateTime.UtcNow.ToString("O")|}, question);

                private Task AskAsync(string context, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage({|#0:context|} + "\n" + Policy), new UserChatMessage(question));
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'context'", "changes per request", "\n" + Policy)),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(Message("'DateTime.UtcNow'", "changes on every call", "\n" + Policy)));
    }

    [Fact]
    public async Task ThreeMethodsDeep_IsFollowed_FourAreNot()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent(ChatClient client)
            {
            POLICY

                public Task ThreeAsync(string question) => OneAsync($"Today is {|#0:{DateTime.UtcNow:D}|}.\n{Policy}", question);

                public Task FourAsync(string question) => ZeroAsync($"Today is {DateTime.UtcNow:D}.\n{Policy}", question);

                private Task ZeroAsync(string system, string question) => OneAsync(system, question);

                private Task OneAsync(string system, string question) => TwoAsync(system, question);

                private Task TwoAsync(string system, string question) => SendAsync(system, question);

                private Task SendAsync(string system, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage(system), new UserChatMessage(question));
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", ".\n" + Policy)));
    }

    /// <summary>The near misses' sender, called where the shape is reported: the near misses would pass for a rule
    /// that never follows a parameter, this test would not.</summary>
    [Fact]
    public async Task NearMissSender_WithTheDateFirst_IsReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            POLICY
            SENDER

                public Task<string> ForwardAsync(string systemPrompt, string question) => AskAsync(systemPrompt, question);

                public Task<string> CallerAsync(string question) => ForwardAsync($"Today is {|#0:{DateTime.UtcNow:D}|}.\n{Policy}", question);
            }
            """).Replace("SENDER", OpenAISender);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", ".\n" + Policy)));
    }
}
