using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer,
    TokenLint.CodeFixes.Rules.VolatileValueBeforeCacheablePrefixFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL2001 on prompts built by helper methods, and on the evaluator shape: the request's data at the top of a long
/// rubric in the last (user) message.
/// </summary>
public sealed class VolatileValueInBuiltPromptTests
{
    /// <summary>About 1,300 tokens of grading rubric: over the 1,024-token minimum of gpt-4o and Sonnet 4.6, under
    /// the 4,096 of Opus 4.6.</summary>
    private static readonly string Rubric = string.Concat(Enumerable.Repeat("Score 5 when the answer cites the policy section that applies and states the refund window exactly. ", 70));

    /// <summary>About 260 tokens: under every model's minimum.</summary>
    private static readonly string ShortRubric = string.Concat(Enumerable.Repeat("Score 5 when the answer cites the policy section that applies. ", 20));

    private const string SameMessageAdvice = "move that text into the system prompt or before the value";

    private static string Message(string subject, string staticText, string advice = SameMessageAdvice) =>
        $"{subject} changes per request and comes before {TokenCounter.Count(staticText)} tokens of static prompt text, so that text is cached once per distinct value instead of once for every caller; {advice}";

    private static string WithRubric(string source) => source
        .Replace("RUBRIC", $"    private const string Rubric = \"{Rubric}\";")
        .Replace("SHORT", $"    private const string Rubric = \"{ShortRubric}\";");

    [Fact]
    public async Task HelperReturningAnInterpolatedString_IsReportedInTheHelper_WithoutFix()
    {
        string source = WithRubric("""
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Judge
            {
            RUBRIC

                private readonly ChatClient _client = new("gpt-4o", "key");

                public Task GradeAsync(string question, string answer) =>
                    _client.CompleteChatAsync(
                        new SystemChatMessage("You grade answers."),
                        new UserChatMessage(BuildPrompt(question, answer)));

                private static string BuildPrompt(string question, string answer) =>
                    $"Question: {question}\nAnswer: {{|#0:answer|}}\n{Rubric}";
            }
            """);
        await VerifyNoFixAsync(source, Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'answer'", "\n" + Rubric)));
    }

    [Fact]
    public async Task StringBuilderHelperOnAnthropic_IsReported()
    {
        string source = WithRubric("""
            using System.Text;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Judge
            {
            RUBRIC

                public Task<Message> GradeAsync(AnthropicClient client, string transcript) =>
                    client.Messages.Create(new MessageCreateParams
                    {
                        Model = "claude-sonnet-4-6",
                        MaxTokens = 200,
                        System = "You grade support transcripts.",
                        Messages = [new UserMessageParam(BuildPrompt(transcript))],
                    });

                private static string BuildPrompt(string transcript)
                {
                    var prompt = new StringBuilder();
                    prompt.AppendLine("Transcript:");
                    prompt.AppendLine({|#0:transcript|});
                    prompt.Append(Rubric);
                    return prompt.ToString();
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'transcript'", "\n" + Rubric)));
    }

    [Fact]
    public async Task HelperTwoCallsDeep_IsReported()
    {
        string source = WithRubric("""
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class Judge
            {
            RUBRIC

                public Task<ChatResponse> GradeAsync(string apiKey, string answer)
                {
                    IChatClient chat = new OpenAIClient(apiKey).GetChatClient("gpt-4.1").AsIChatClient();
                    return chat.GetResponseAsync([
                        new ChatMessage(ChatRole.System, "You grade answers."),
                        new ChatMessage(ChatRole.User, Prompt(answer)),
                    ]);
                }

                private static string Prompt(string answer) => Sections(answer);

                private static string Sections(string text) => $"Answer:\n{{|#0:text|}}\n" + Rubric;
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'text'", "\n" + Rubric)));
    }

    [Fact]
    public async Task SerializedRequestObjectAtTheTopOfARubric_IsReported()
    {
        string source = WithRubric("""
            using System.Collections.Generic;
            using System.Text.Json;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            record Sample(string Question, string Answer);

            class Evaluator
            {
            RUBRIC

                public async Task RunAsync(ChatClient client, List<Sample> samples)
                {
                    foreach (var sample in samples)
                    {
                        await client.CompleteChatAsync(
                            new SystemChatMessage("You grade answers."),
                            new UserChatMessage($"Sample:\n{{|#0:JsonSerializer.Serialize(sample)|}}\n\n{Rubric}"));
                    }
                }
            }
            """);
        // The value and the rubric share one interpolated string in this body, but the same-message shape gets no
        // fix: the fixed state is the source itself.
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'JsonSerializer.Serialize(sample)'", "\n\n" + Rubric)));
    }

    [Fact]
    public async Task AzureOpenAIDeploymentAndSemanticKernelHistory_AreReported()
    {
        // A deployment name is not a catalog id: Azure OpenAI caches automatically, so the smallest confirmed
        // minimum (1,024) applies. Semantic Kernel names gpt-4o in its settings.
        string source = WithRubric("""
            using System;
            using System.ClientModel;
            using System.Threading.Tasks;
            using Azure.AI.OpenAI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;
            using OpenAI.Chat;

            class Judge
            {
            RUBRIC

                public Task AzureAsync(string answer)
                {
                    var client = new AzureOpenAIClient(new Uri("https://example.invalid"), new ApiKeyCredential("key")).GetChatClient("judge-deployment");
                    return client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Prompt(answer)));
                }

                public Task KernelAsync(IChatCompletionService chat, string answer)
                {
                    var history = new ChatHistory("You grade answers.");
                    history.AddUserMessage($"{{|#1:answer.ToString()|}}\n{Rubric}");
                    return chat.GetChatMessageContentAsync(history, new OpenAIPromptExecutionSettings { ModelId = "gpt-4o" });
                }

                private static string Prompt(string answer) => $"Answer: {{|#0:answer|}}\n{Rubric}";
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'answer'", "\n" + Rubric)),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(Message("parameter 'answer'", "\n" + Rubric)));
    }

    [Fact]
    public async Task SystemMessageFromAHelper_IsReportedInTheHelper_WithoutFix()
    {
        // The TL2001 fix moves a value within its string, but a value in a helper is reported outside the caller's
        // body, where the IDE offers no fix: none is promised.
        string source = WithRubric("""
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
            RUBRIC

                public Task AnswerAsync(ChatClient client, string customer, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage(SystemPrompt(customer)), new UserChatMessage(question));

                private static string SystemPrompt(string customer) => $"Customer: {{|#0:customer|}}\n{Rubric}";
            }
            """);
        await VerifyNoFixAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'customer'", "\n" + Rubric, "move it after the static text")));
    }

    /// <summary>Expects the diagnostics and no fix for any of them, including those reported outside the analysed
    /// body (in a helper), which the testing library otherwise refuses to ask a fixer about.</summary>
    internal static async Task VerifyNoFixAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
    {
        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = source,
            CodeFixTestBehaviors = Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(System.Threading.CancellationToken.None);
    }

    [Fact]
    public async Task ModelReadAtRunTime_OnOpenAI_IsReported_OnAnUnknownProvider_IsNot()
    {
        // OpenAI caches every model's prompts from 1,024 tokens: an id read from the environment still gets the
        // smallest minimum. Behind an injected IChatClient nothing says whether the provider caches at all.
        string source = WithRubric("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;
            using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

            class Judge(IChatClient chat)
            {
            RUBRIC

                public Task OpenAIAsync(string answer)
                {
                    var client = new ChatClient(Environment.GetEnvironmentVariable("JUDGE_MODEL")!, "key");
                    return client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Prompt(answer)));
                }

                public Task<ChatResponse> InjectedAsync(string answer) =>
                    chat.GetResponseAsync(
                        [new ChatMessage(ChatRole.System, "You grade answers."), new ChatMessage(ChatRole.User, $"Answer: {answer}\n{Rubric}")],
                        new ChatOptions { ModelId = Environment.GetEnvironmentVariable("JUDGE_MODEL") });

                private static string Prompt(string answer) => $"Answer: {{|#0:answer|}}\n{Rubric}";
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'answer'", "\n" + Rubric)));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        string source = WithRubric("""
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using OpenAI.Chat;

            interface IPromptBuilder
            {
                string Build(string answer);
            }

            class Judge
            {
            RUBRIC

                private readonly ChatClient _client = new("gpt-4o", "key");
                private readonly string _persona = System.Environment.GetEnvironmentVariable("PERSONA") ?? "";

                // The data after the rubric: the right layout.
                public Task AfterAsync(string answer) =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage($"{Rubric}\nAnswer: {answer}"));

                public Task AfterInHelperAsync(string answer) =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(RubricFirst(answer)));

                private static string RubricFirst(string answer) => $"{Rubric}\nAnswer: {answer}";

                // A helper behind an interface, a virtual helper: their text is not known here.
                public Task InterfaceAsync(IPromptBuilder builder, string answer) =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(builder.Build(answer)));

                public Task VirtualAsync(string answer) =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Overridable(answer)));

                protected virtual string Overridable(string answer) => Answer + answer + "\n" + Rubric;

                private const string Answer = "Answer: ";

                // A recursive helper stays unknown.
                public Task RecursiveAsync(string answer) =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Recursive(answer, 2)));

                private static string Recursive(string answer, int retries) => Answer + answer + "\n" + Rubric + Again(answer, retries);

                private static string Again(string answer, int retries) => Recursive(answer, retries - 1);

                // The helper called with a constant, or with a field set once: the same text on every call.
                public Task ConstantAsync() =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Prompt("The refund window is 14 days.")));

                public Task FieldAsync() =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Prompt(_persona)));

                // Opus 4.6 caches from 4,096 tokens: the rubric after the data is too short to be cached anyway.
                public Task<Message> OpusAsync(AnthropicClient anthropic, string answer) =>
                    anthropic.Messages.Create(new MessageCreateParams
                    {
                        Model = "claude-opus-4-6",
                        MaxTokens = 200,
                        System = "You grade answers.",
                        Messages = [new UserMessageParam(Prompt(answer))],
                    });

                private static string Prompt(string answer) => Answer + answer + "\n" + Rubric;
            }
            """);
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task HelperInAnotherAssembly_IsNotFollowed()
    {
        // The helper's body is not in this compilation: what it returns is not known here.
        string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Judge
            {
                private readonly ChatClient _client = new("gpt-4o", "key");

                public Task GradeAsync(string answer) =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Prompts.JudgePrompt.Build(answer)));
            }
            """;
        string helper = WithRubric("""
            namespace Prompts;

            public static class JudgePrompt
            {
            RUBRIC

                public static string Build(string answer) => $"Answer: {answer}\n{Rubric}";
            }
            """);
        var test = new Verify.Test { TestCode = source };
        var helperProject = test.TestState.AdditionalProjects["Prompts"];
        helperProject.Sources.Add(helper);
        helperProject.AdditionalReferences.AddRange(TokenLint.Tests.SdkReferences.Framework);
        test.TestState.AdditionalProjectReferences.Add("Prompts");
        await test.RunAsync(System.Threading.CancellationToken.None);
    }

    /// <summary>The near misses' helper, called where the same shape is reported: the tests above would pass
    /// for a rule that never follows helpers, this one would not.</summary>
    [Fact]
    public async Task NearMissHelper_WithRequestData_IsReported()
    {
        string source = WithRubric("""
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Judge
            {
            RUBRIC

                private readonly ChatClient _client = new("gpt-4o", "key");

                public Task GradeAsync(string answer) =>
                    _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Prompt(answer)));

                private const string Answer = "Answer: ";

                private static string Prompt(string answer) => Answer + {|#0:answer|} + "\n" + Rubric;
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'answer'", "\n" + Rubric)));
    }

    [Fact]
    public async Task TemplateWithPlaceholdersReplaced_OnOpenAIAndAnthropic_IsReported()
    {
        // A judge template whose placeholders come before the rubric: the answer written into it is the data at
        // the top of the rubric. The question is followed by the answer, too little text to report.
        string source = WithRubric("""
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using OpenAI.Chat;

            class Judge
            {
            RUBRIC
                private const string Template = "Question: {question}\nAnswer: {answer}\n" + Rubric;

                private readonly ChatClient _client = new("gpt-4o", "key");

                public Task GradeAsync(string question, string answer) =>
                    _client.CompleteChatAsync(
                        new SystemChatMessage("You grade answers."),
                        new UserChatMessage(Template.Replace("{question}", question).Replace("{answer}", {|#0:answer|})));

                public Task<Message> ClaudeAsync(AnthropicClient client, string answer) =>
                    client.Messages.Create(new MessageCreateParams
                    {
                        Model = "claude-sonnet-4-6",
                        MaxTokens = 200,
                        System = "You grade answers.",
                        Messages = [new UserMessageParam(Prompt(answer))],
                    });

                private static string Prompt(string answer) => Template.Replace("{question}", "What is the refund window?").Replace("{answer}", {|#1:answer|});
            }
            """);
        await VerifyNoFixAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("parameter 'answer'", "\n" + Rubric)),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(Message("parameter 'answer'", "\n" + Rubric)));
    }

    [Fact]
    public async Task TemplateNearMisses_AreNotReported()
    {
        string source = WithRubric("""
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Judge
            {
            RUBRIC
                private const string RubricFirst = Rubric + "\nAnswer: {answer}";
                private const string Template = "Answer: {answer}\n" + Rubric;

                private readonly ChatClient _client = new("gpt-4o", "key");

                public async Task GradeAsync(string answer)
                {
                    // The placeholder after the rubric; a placeholder the template does not hold; a char replaced.
                    await _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(RubricFirst.Replace("{answer}", answer)));
                    await _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Template.Replace("{reply}", answer)));
                    await _client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Template.Replace('{', '[')));
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ShortRubricAfterTheData_IsNotReported()
    {
        string source = WithRubric("""
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Judge
            {
            SHORT

                public Task GradeAsync(ChatClient client, string answer) =>
                    client.CompleteChatAsync(new SystemChatMessage("You grade answers."), new UserChatMessage(Prompt(answer)));

                private static string Prompt(string answer) => $"Answer: {answer}\n{Rubric}";
            }
            """);
        await Verify.VerifyAnalyzerAsync(source);
    }
}
