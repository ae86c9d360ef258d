using System.Threading.Tasks;
using TokenLint.Analyzers.Rules;
using TokenLint.CodeFixes.Rules;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PremiumModelOnTrivialCallAnalyzer,
    TokenLint.CodeFixes.Rules.PremiumModelOnTrivialCallFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class PremiumModelOnTrivialCallTests
{
    private const string Gpt4oMessage = "'gpt-4o' is a premium model on a trivial call ({0}); 'gpt-4o-mini' costs 16.7x less per input token";
    private const string OpusMessage = "'claude-opus-4-6' is a premium model on a trivial call ({0}); 'claude-haiku-4-5' costs 5x less per input token";

    [Fact]
    public async Task OpenAIChatClientWithTinyOutputLimit_IsReportedAndFixedToSibling()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class SentimentClassifier
            {
                public async Task<string> ClassifyAsync(string apiKey, string review)
                {
                    var client = new ChatClient({|#1:"gpt-4o"|}, apiKey);
                    var completion = await client.{|#0:CompleteChatAsync|}(
                        new ChatMessage[] { new SystemChatMessage("Label the sentiment."), new UserChatMessage(review) },
                        new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                    return completion.Value.Content[0].Text;
                }
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class SentimentClassifier
            {
                public async Task<string> ClassifyAsync(string apiKey, string review)
                {
                    var client = new ChatClient("gpt-4o-mini", apiKey);
                    var completion = await client.CompleteChatAsync(
                        new ChatMessage[] { new SystemChatMessage("Label the sentiment."), new UserChatMessage(review) },
                        new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                    return completion.Value.Content[0].Text;
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "output limited to 5 tokens")));
    }

    [Fact]
    public async Task AnthropicYesNoWithStringModel_IsReportedAndFixed()
    {
        const string source = """
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class EscalationCheck
            {
                public Task<Message> NeedsHumanAsync(AnthropicClient client, string ticket) =>
                    client.Messages.{|#0:Create|}(new MessageCreateParams
                    {
                        Model = {|#1:"claude-opus-4-6"|},
                        MaxTokens = 10,
                        System = "Answer yes or no: does this ticket need a human?",
                        Messages = [new UserMessageParam(ticket)],
                    });
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class EscalationCheck
            {
                public Task<Message> NeedsHumanAsync(AnthropicClient client, string ticket) =>
                    client.Messages.Create(new MessageCreateParams
                    {
                        Model = "claude-haiku-4-5",
                        MaxTokens = 10,
                        System = "Answer yes or no: does this ticket need a human?",
                        Messages = [new UserMessageParam(ticket)],
                    });
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(OpusMessage, "output limited to 10 tokens")));
    }

    [Fact]
    public async Task AnthropicEnumModelOnStreamingCall_IsFixedToSiblingEnumMember()
    {
        const string source = """
            using System.Collections.Generic;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Router
            {
                public IAsyncEnumerable<RawMessageStreamEvent> Route(AnthropicClient client, string ticket) =>
                    client.Messages.{|#0:CreateStreaming|}(new MessageCreateParams
                    {
                        Model = {|#1:Model.ClaudeOpus4_6|},
                        MaxTokens = 16,
                        Messages = [new UserMessageParam(ticket)],
                    });
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Router
            {
                public IAsyncEnumerable<RawMessageStreamEvent> Route(AnthropicClient client, string ticket) =>
                    client.Messages.CreateStreaming(new MessageCreateParams
                    {
                        Model = Model.ClaudeHaiku4_5,
                        MaxTokens = 16,
                        Messages = [new UserMessageParam(ticket)],
                    });
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(OpusMessage, "output limited to 16 tokens")));
    }

    [Fact]
    public async Task ExtensionsAIStructuredBoolThroughBuilderChain_IsReportedAndFixed()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class SpamFilter
            {
                public async Task<bool> IsSpamAsync(string apiKey, string message)
                {
                    IChatClient chat = new OpenAIClient(apiKey).GetChatClient({|#1:"gpt-4o"|}).AsIChatClient()
                        .AsBuilder()
                        .UseFunctionInvocation()
                        .Build();
                    var response = await chat.{|#0:GetResponseAsync<bool>|}("Is this message spam? " + message);
                    return response.Result;
                }
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class SpamFilter
            {
                public async Task<bool> IsSpamAsync(string apiKey, string message)
                {
                    IChatClient chat = new OpenAIClient(apiKey).GetChatClient("gpt-4o-mini").AsIChatClient()
                        .AsBuilder()
                        .UseFunctionInvocation()
                        .Build();
                    var response = await chat.GetResponseAsync<bool>("Is this message spam? " + message);
                    return response.Result;
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "structured output is a bool")));
    }

    [Fact]
    public async Task ExtensionsAIEnumAndSmallRecordOutputs_AreReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Anthropic;
            using Microsoft.Extensions.AI;

            enum Queue { Billing, Technical, Other }
            record Triage(Queue Queue, bool Urgent);
            record Draft(string Subject, string Body);

            class Triager
            {
                public async Task RunAsync(AnthropicClient anthropic, string ticket)
                {
                    IChatClient chat = anthropic.AsIChatClient("claude-opus-4-6");
                    await chat.{|#0:GetResponseAsync<Queue>|}(ticket);
                    await chat.{|#1:GetResponseAsync<Triage>|}(ticket);
                    await chat.GetResponseAsync<Draft>(ticket);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithMessage(string.Format(OpusMessage, "structured output is an enum (Queue)")),
            Verify.Diagnostic("TL1001").WithLocation(1).WithMessage(string.Format(OpusMessage, "structured output is a small type (Triage: 2 bool, enum or number fields)")));
    }

    [Fact]
    public async Task ClassificationPromptWithoutOutputLimit_IsReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class IntentClassifier
            {
                private const string Instructions = "Classify the customer's intent as one of: refund, cancel, question.";

                public async Task<string> ClassifyAsync(string apiKey)
                {
                    var client = new ChatClient({|#1:"o3"|}, apiKey);
                    var completion = await client.{|#0:CompleteChatAsync|}(new SystemChatMessage(Instructions), new UserChatMessage("I want my money back"));
                    return completion.Value.Content[0].Text;
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1)
                .WithMessage("'o3' is a premium model on a trivial call (the prompt asks for a classification); 'o4-mini' costs 1.82x less per input token"));
    }

    [Fact]
    public async Task SemanticKernelPromptAndResponsesCalls_AreReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;
            using OpenAI.Responses;

            class Checks
            {
                public async Task RunAsync(string apiKey, string text)
                {
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion({|#1:"gpt-4o"|}, apiKey).Build();
                    await kernel.{|#0:InvokePromptAsync|}("Is this text polite? " + text, new KernelArguments(new OpenAIPromptExecutionSettings { MaxTokens = 3 }));

                    var responses = new ResponsesClient(apiKey);
                    await responses.{|#2:CreateResponseAsync|}(new CreateResponseOptions({|#3:"gpt-5"|}, []) { MaxOutputTokenCount = 16 });
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "output limited to 3 tokens")),
            Verify.Diagnostic("TL1001").WithLocation(2).WithLocation(3)
                .WithMessage("'gpt-5' is a premium model on a trivial call (output limited to 16 tokens); 'gpt-5-mini' costs 5x less per input token"));
    }

    [Fact]
    public async Task SharedClientField_IsReportedWithoutFix()
    {
        // The client serves a long-form call too: switching its model would degrade that call, so no fix.
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Assistant
            {
                private readonly ChatClient _client = new("gpt-4o", System.Environment.GetEnvironmentVariable("OPENAI_API_KEY")!);

                public Task IsUrgentAsync(string ticket) =>
                    _client.{|#0:CompleteChatAsync|}([new UserChatMessage(ticket)], new ChatCompletionOptions { MaxOutputTokenCount = 1 });

                public Task DraftAsync(string ticket) =>
                    _client.CompleteChatAsync([new UserChatMessage(ticket)], new ChatCompletionOptions { MaxOutputTokenCount = 2000 });
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithMessage(string.Format(Gpt4oMessage, "output limited to 1 tokens")));
    }

    [Fact]
    public async Task ClientFieldAssignedInConstructorAndDisposed_IsFixed()
    {
        // Disposing the client sends nothing, so the routing call is its only user and the fix is safe.
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI;

            enum Queue { Billing, Technical }

            sealed class Router : IDisposable
            {
                private readonly IChatClient _chat;

                public Router(string apiKey)
                {
                    _chat = new OpenAIClient(apiKey).GetChatClient({|#1:"gpt-4.1"|}).AsIChatClient();
                }

                public Task<ChatResponse<Queue>> RouteAsync(string ticket) => _chat.{|#0:GetResponseAsync<Queue>|}(ticket);

                public void Dispose() => _chat.Dispose();
            }
            """;
        const string fixedSource = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI;

            enum Queue { Billing, Technical }

            sealed class Router : IDisposable
            {
                private readonly IChatClient _chat;

                public Router(string apiKey)
                {
                    _chat = new OpenAIClient(apiKey).GetChatClient("gpt-4.1-mini").AsIChatClient();
                }

                public Task<ChatResponse<Queue>> RouteAsync(string ticket) => _chat.GetResponseAsync<Queue>(ticket);

                public void Dispose() => _chat.Dispose();
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1)
                .WithMessage("'gpt-4.1' is a premium model on a trivial call (structured output is an enum (Queue)); 'gpt-4.1-mini' costs 5x less per input token"));
    }

    [Fact]
    public async Task FixAll_FixesEveryCallInTheDocument()
    {
        const string source = """
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Gates
            {
                public async Task RunAsync(AnthropicClient client, string ticket)
                {
                    await client.Messages.{|#0:Create|}(new MessageCreateParams { Model = {|#1:"claude-opus-4-6"|}, MaxTokens = 1, Messages = [new UserMessageParam(ticket)] });
                    await client.Messages.{|#2:Create|}(new MessageCreateParams { Model = {|#3:"claude-opus-4-6"|}, MaxTokens = 2, Messages = [new UserMessageParam(ticket)] });
                }
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Gates
            {
                public async Task RunAsync(AnthropicClient client, string ticket)
                {
                    await client.Messages.Create(new MessageCreateParams { Model = "claude-haiku-4-5", MaxTokens = 1, Messages = [new UserMessageParam(ticket)] });
                    await client.Messages.Create(new MessageCreateParams { Model = "claude-haiku-4-5", MaxTokens = 2, Messages = [new UserMessageParam(ticket)] });
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(OpusMessage, "output limited to 1 tokens")),
            Verify.Diagnostic("TL1001").WithLocation(2).WithLocation(3).WithMessage(string.Format(OpusMessage, "output limited to 2 tokens")));
    }

    [Fact]
    public async Task PremiumModelOnLongReport_IsNotReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class ReportWriter
            {
                public Task<Message> WriteAsync(AnthropicClient client, string data) =>
                    client.Messages.Create(new MessageCreateParams
                    {
                        Model = "claude-opus-4-6",
                        MaxTokens = 4000,
                        System = "Write a detailed quarterly support report. Answer yes or no questions in the appendix.",
                        Messages = [new UserMessageParam(data)],
                    });
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.Threading.Tasks;
            using Azure.AI.OpenAI;
            using Microsoft.Extensions.AI;
            using OpenAI;
            using OpenAI.Chat;

            class NearMisses
            {
                private readonly System.Collections.Generic.List<OpenAI.Chat.ChatMessage> _history = new();
                private readonly OpenAIClient _injected;

                public NearMisses(OpenAIClient injected) => _injected = injected;

                public async Task RunAsync(string apiKey, string model, IChatClient injected, string text)
                {
                    var tiny = new ChatCompletionOptions { MaxOutputTokenCount = 5 };

                    // A cheap model on a trivial call.
                    await new ChatClient("gpt-4o-mini", apiKey).CompleteChatAsync([new UserChatMessage(text)], tiny);

                    // Azure: "gpt-4o" is a deployment name the user chose, not a model id.
                    await new AzureOpenAIClient(new Uri("https://contoso.openai.azure.com"), new ApiKeyCredential(apiKey))
                        .GetChatClient("gpt-4o").CompleteChatAsync([new UserChatMessage(text)], tiny);

                    // A custom endpoint (a gateway or a local server) decides what "gpt-4o" means.
                    await new ChatClient("gpt-4o", new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = new Uri("http://localhost:11434/v1") })
                        .CompleteChatAsync([new UserChatMessage(text)], tiny);

                    // The OpenAI adapter ignores ChatOptions.ModelId: the call goes to gpt-4o-mini.
                    await new ChatClient("gpt-4o-mini", apiKey).AsIChatClient().GetResponseAsync(text, new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 5 });

                    // A connectivity probe.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync([new UserChatMessage("ping")], tiny);

                    // A chat whose history is filled elsewhere: its prompt is not known.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync([new SystemChatMessage("Answer yes or no."), .. _history]);

                    // An OpenAI client of unknown origin may be Azure, where "gpt-4o" names a deployment.
                    await _injected.GetChatClient("gpt-4o").CompleteChatAsync([new UserChatMessage(text)], tiny);

                    // The model is not known at build time.
                    await new ChatClient(model, apiKey).CompleteChatAsync([new UserChatMessage(text)], tiny);
                    await injected.GetResponseAsync<bool>(text);

                    // A classification that also asks for reasoning is not trivial.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(
                        new SystemChatMessage("Classify the ticket and explain your reasoning step by step."), new UserChatMessage(text));

                    // Classification wording but a long output limit.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(
                        [new SystemChatMessage("Classify the ticket."), new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 500 });

                    // Part of the prompt is unknown: it may ask for anything.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new SystemChatMessage("Classify the ticket."), new SystemChatMessage(text));
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task LegacyGpt4OnALoneShortConstantPrompt_IsReportedAndFixedToSibling()
    {
        const string source = """
            using OpenAI.Chat;

            class SmokeTest
            {
                public string Run(string apiKey) =>
                    new ChatClient({|#1:"gpt-4"|}, apiKey).{|#0:CompleteChat|}("Say hello").Value.Content[0].Text;
            }
            """;
        const string fixedSource = """
            using OpenAI.Chat;

            class SmokeTest
            {
                public string Run(string apiKey) =>
                    new ChatClient("gpt-4o-mini", apiKey).CompleteChat("Say hello").Value.Content[0].Text;
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1)
                .WithMessage("'gpt-4' is a premium model on a trivial call (the request is only a 9-character constant prompt); 'gpt-4o-mini' costs 200x less per input token"));
    }

    [Fact]
    public async Task LoneShortConstantPrompt_IsReportedThroughEveryOverload()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using OpenAI.Chat;
            using OpenAI.Responses;

            class SmokeTests
            {
                public async Task RunAsync(string apiKey, AnthropicClient anthropic)
                {
                    await new ChatClient({|#1:"gpt-4-32k"|}, apiKey).{|#0:CompleteChatAsync|}(new UserChatMessage("What is 2+2?"));
                    await new ChatClient({|#3:"gpt-4-turbo-2024-04-09"|}, apiKey).{|#2:CompleteChatAsync|}([new UserChatMessage("Say hello")]);
                    await new ResponsesClient(apiKey).{|#4:CreateResponseAsync|}({|#5:"gpt-5"|}, "Reply with the word OK.");
                    await new ChatClient({|#7:"gpt-4o"|}, apiKey).AsIChatClient().{|#6:GetResponseAsync|}("Echo: hello world");
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion({|#9:"gpt-4o"|}, apiKey).Build();
                    await kernel.{|#8:InvokePromptAsync|}("Say hello");
                    await anthropic.Messages.{|#10:Create|}(new MessageCreateParams
                    {
                        Model = {|#11:Model.ClaudeOpus4_6|},
                        MaxTokens = 1024,
                        Messages = [new UserMessageParam("What is the capital of France?")],
                    });
                }
            }
            """;
        const string prompt = "the request is only a {0}-character constant prompt";
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1)
                .WithMessage("'gpt-4-32k' is a premium model on a trivial call (the request is only a 12-character constant prompt); 'gpt-4o-mini' costs 400x less per input token"),
            Verify.Diagnostic("TL1001").WithLocation(2).WithLocation(3)
                .WithMessage("'gpt-4-turbo-2024-04-09' is a premium model on a trivial call (the request is only a 9-character constant prompt); 'gpt-4o-mini' costs 66.7x less per input token"),
            Verify.Diagnostic("TL1001").WithLocation(4).WithLocation(5)
                .WithMessage("'gpt-5' is a premium model on a trivial call (the request is only a 23-character constant prompt); 'gpt-5-mini' costs 5x less per input token"),
            Verify.Diagnostic("TL1001").WithLocation(6).WithLocation(7).WithMessage(string.Format(Gpt4oMessage, string.Format(prompt, 17))),
            Verify.Diagnostic("TL1001").WithLocation(8).WithLocation(9).WithMessage(string.Format(Gpt4oMessage, string.Format(prompt, 9))),
            Verify.Diagnostic("TL1001").WithLocation(10).WithLocation(11).WithMessage(string.Format(OpusMessage, string.Format(prompt, 30))));
    }

    [Fact]
    public async Task ShortPromptNearMisses_AreNotReported()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Azure.AI.OpenAI;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using OpenAI;
            using OpenAI.Chat;
            using OpenAI.Responses;

            class NearMisses
            {
                private const string LongPrompt =
                    "You are reviewing a pull request. Read the diff below carefully, then reply with a single paragraph that " +
                    "names the riskiest change, the reason it is risky, and the test that would catch a regression in it.";

                public async Task RunAsync(string apiKey, string name, string question, ChatCompletionOptions injectedOptions,
                    ChatTool tool, AnthropicClient anthropic, string previousId, KernelArguments arguments)
                {
                    // Computed, a parameter, interpolated or long.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage(question));
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage($"Say hello to {name}"));
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage("Say hello to " + name));
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage(LongPrompt));

                    // A system prompt, history, tools, or options the code does not show.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new SystemChatMessage("You are terse."), new UserChatMessage("Say hello"));
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage("Hi"), new AssistantChatMessage("Hello!"), new UserChatMessage("Say hello again"));
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync([new UserChatMessage("What is the weather?")], new ChatCompletionOptions { Tools = { tool } });
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync([new UserChatMessage("Say hello")], injectedOptions);
                    await new ChatClient("gpt-4o", apiKey).AsIChatClient().GetResponseAsync("Say hello", new ChatOptions { Instructions = "Answer in French." });
                    await new ResponsesClient(apiKey).CreateResponseAsync("gpt-5", "Say hello again", previousId);

                    // Semantic Kernel: a template that fills in values, or arguments from elsewhere.
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", apiKey).Build();
                    await kernel.InvokePromptAsync("Say hello to {{$name}}");
                    await kernel.InvokePromptAsync("Say hello", arguments);

                    // Anthropic: a system prompt, tools, or a message of blocks.
                    await anthropic.Messages.Create(new MessageCreateParams
                    {
                        Model = Model.ClaudeOpus4_6,
                        MaxTokens = 1024,
                        System = "You are a pirate.",
                        Messages = [new UserMessageParam("Say hello")],
                    });
                    await anthropic.Messages.Create(new MessageCreateParams
                    {
                        Model = Model.ClaudeOpus4_6,
                        MaxTokens = 1024,
                        Messages = [new UserMessageParam("What time is it?")],
                        Tools = [new Tool { Name = "clock", InputSchema = new InputSchema() }],
                    });

                    // Open-ended or long-form work in few words.
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage("How do I bake sourdough bread?"));
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage("Write a poem about the sea."));
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new UserChatMessage("Tell me a story"));

                    // Not a first-party premium model: cheap, Azure, a custom endpoint, or unknown.
                    await new ChatClient("gpt-4o-mini", apiKey).CompleteChatAsync(new UserChatMessage("Say hello"));
                    await new AzureOpenAIClient(new Uri("https://contoso.openai.azure.com"), new ApiKeyCredential(apiKey))
                        .GetChatClient("gpt-4").CompleteChatAsync(new UserChatMessage("Say hello"));
                    await new ChatClient("gpt-4", new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = new Uri("http://localhost:11434/v1") })
                        .CompleteChatAsync(new UserChatMessage("Say hello"));
                    _ = new ChatClient(name, apiKey).CompleteChat("Say hello");
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task MaxTrivialPromptLengthOption_SetsTheLimitOrTurnsItOff()
    {
        const string source = """
            using OpenAI.Chat;

            class C
            {
                public void Run(string apiKey) => new ChatClient({|#1:"gpt-4o"|}, apiKey).{|#0:CompleteChat|}("What is 2+2?");
            }
            """;
        var reported = Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1)
            .WithMessage(string.Format(Gpt4oMessage, "the request is only a 12-character constant prompt"));
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl1001.max_trivial_prompt_length = 12", reported);
        string unmarked = source.Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", "");
        await Verify.VerifyAnalyzerAsync(unmarked, "tokenlint.tl1001.max_trivial_prompt_length = 11");
        await Verify.VerifyAnalyzerAsync(unmarked, "tokenlint.tl1001.max_trivial_prompt_length = 0");
    }

    [Fact]
    public async Task MaxOutputTokensOption_RaisesOrLowersTheThreshold()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class C
            {
                public Task RunAsync(string apiKey, string text) =>
                    new ChatClient({|#1:"gpt-4o"|}, apiKey).{|#0:CompleteChatAsync|}([new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 100 });
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, editorConfig: null);
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl1001.max_output_tokens = 100",
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "output limited to 100 tokens")));
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.max_output_tokens = 128",
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "output limited to 100 tokens")));
    }

    [Fact]
    public async Task PremiumModelsOption_ReplacesTheCatalogTier()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class C
            {
                public async Task RunAsync(string apiKey, string text)
                {
                    await new ChatClient("gpt-4o-mini", apiKey).{|#0:CompleteChatAsync|}([new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                    await new ChatClient("gpt-4o", apiKey).CompleteChatAsync([new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl1001.premium_models = gpt-4o-mini, gpt-5",
            Verify.Diagnostic("TL1001").WithLocation(0).WithMessage("'gpt-4o-mini' is a premium model on a trivial call (output limited to 5 tokens)"));
    }

    [Fact]
    public async Task PromptSignalsOption_TurnsOffPromptWording()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class C
            {
                public Task RunAsync(string apiKey) =>
                    new ChatClient("gpt-4o", apiKey).CompleteChatAsync(new SystemChatMessage("Reply with only one word: the ticket's category."), new UserChatMessage("My invoice is wrong"));
            }
            """;
        await Verify.VerifyAnalyzerAsync(source.Replace("CompleteChatAsync", "{|#0:CompleteChatAsync|}").Replace("\"gpt-4o\"", "{|#1:\"gpt-4o\"|}"), editorConfig: null,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "the prompt asks for a single label")));
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl1001.prompt_signals = false");
    }

    [Fact]
    public async Task SwitchedOffProject_ReportsNothing()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                using OpenAI.Chat;

                class C
                {
                    public Task RunAsync(string apiKey, string text) =>
                        new ChatClient("gpt-4o", apiKey).CompleteChatAsync([new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.TokenLintEnabled = false\n"));
        await test.RunAsync();
    }
}
