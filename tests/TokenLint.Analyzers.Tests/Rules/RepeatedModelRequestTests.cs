using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.RepeatedModelRequestAnalyzer, TokenLint.CodeFixes.Rules.RepeatedModelRequestFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class RepeatedModelRequestTests
{
    private static string Message(string method, int line) =>
        $"This '{method}' call sends the request of the call on line {line} again: the same client, messages and options, and nothing changes in between, so it pays twice for one answer; reuse the first result";

    /// <summary>The diagnostic's additional location (the first call) is the fix's; the message names its line.</summary>
    private static DiagnosticResult Expected(int marker, string method, int line) =>
        Verify.Diagnostic("TL5002").WithLocation(marker).WithMessage(Message(method, line)).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task SameRequestTwice_IsReported_ForEverySdk()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;
            using OpenAI.Responses;

            class Classifier
            {
                public async Task OpenAIChatAsync(ChatClient client, string ticket)
                {
                    List<OpenAI.Chat.ChatMessage> messages = [new SystemChatMessage("Classify the ticket."), new UserChatMessage(ticket)];
                    ChatCompletion label = await client.CompleteChatAsync(messages);
                    Console.WriteLine(label.Content[0].Text);
                    ChatCompletion again = await client.{|#0:CompleteChatAsync|}(messages);
                    Console.WriteLine(again.Usage.OutputTokenCount);
                }

                public async Task ResponsesAsync(ResponsesClient client, string ticket)
                {
                    await client.CreateResponseAsync("gpt-4.1-mini", ticket);
                    var response = await client.{|#1:CreateResponseAsync|}("gpt-4.1-mini", ticket);
                    Console.WriteLine(response.Value.GetOutputText());
                }

                public async Task AnthropicAsync(AnthropicClient client, MessageCreateParams parameters)
                {
                    var first = await client.Messages.Create(parameters);
                    var second = await client.Messages.{|#2:Create|}(parameters);
                    Console.WriteLine($"{first.Content.Count} {second.StopReason}");
                }

                public async Task ExtensionsAIAsync(IChatClient chat, string ticket)
                {
                    Console.WriteLine((await chat.GetResponseAsync<int>($"Priority 1-5 of: {ticket}")).Result);
                    Console.WriteLine((await chat.{|#3:GetResponseAsync<int>|}($"Priority 1-5 of: {ticket}")).Usage?.TotalTokenCount);
                }

                public async Task SemanticKernelAsync(Kernel kernel, IChatCompletionService chat, string ticket)
                {
                    var history = new ChatHistory("Classify the ticket.");
                    history.AddUserMessage(ticket);
                    var label = await chat.GetChatMessageContentAsync(history);
                    var metadata = (await chat.{|#4:GetChatMessageContentAsync|}(history)).Metadata;
                    var summary = await kernel.InvokePromptAsync("Summarise: " + ticket);
                    Console.WriteLine($"{label} {metadata?.Count} {summary}");
                    Console.WriteLine(await kernel.{|#5:InvokePromptAsync|}("Summarise: " + ticket));
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Expected(0, "CompleteChatAsync", 17),
            Expected(1, "CreateResponseAsync", 25),
            Expected(2, "Create", 32),
            Expected(3, "GetResponseAsync", 39),
            Expected(4, "GetChatMessageContentAsync", 47),
            Expected(5, "InvokePromptAsync", 49));
    }

    [Fact]
    public async Task DifferentOrChangedRequests_AreNotReported()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Requests
            {
                private List<Microsoft.Extensions.AI.ChatMessage> _history = new();

                public async Task DifferentArgumentsAsync(IChatClient chat, ChatClient client, string ticket)
                {
                    await chat.GetResponseAsync($"Label: {ticket}");
                    await chat.GetResponseAsync($"Priority: {ticket}");
                    await chat.GetResponseAsync<int>($"Label: {ticket}");
                    await chat.GetResponseAsync($"Label: {ticket}", new ChatOptions { ModelId = "gpt-4o" });
                }

                public async Task MutatedBetweenAsync(IChatClient chat, string ticket, string followUp)
                {
                    List<Microsoft.Extensions.AI.ChatMessage> messages = [new(ChatRole.User, ticket)];
                    var first = await chat.GetResponseAsync(messages);
                    messages.AddMessages(first);
                    messages.Add(new(ChatRole.User, followUp));
                    await chat.GetResponseAsync(messages);

                    var options = new ChatOptions { MaxOutputTokens = 100 };
                    await chat.GetResponseAsync(ticket, options);
                    options.MaxOutputTokens = 400;
                    await chat.GetResponseAsync(ticket, options);

                    var prompt = "Label: " + ticket;
                    await chat.GetResponseAsync(prompt);
                    prompt += " (be brief)";
                    await chat.GetResponseAsync(prompt);
                }

                public async Task FieldChangedByAnotherMethodAsync(IChatClient chat)
                {
                    await chat.GetResponseAsync(_history);
                    await RefreshAsync();
                    await chat.GetResponseAsync(_history);
                }

                public async Task SamplingAsync(IChatClient chat, ChatClient client, string ticket)
                {
                    var options = new ChatOptions { Temperature = 0.8f };
                    var a = await chat.GetResponseAsync(ticket, options);
                    var b = await chat.GetResponseAsync(ticket, options);
                    Console.WriteLine(a.Text == b.Text);
                    var creative = new ChatCompletionOptions { Temperature = 1.2f };
                    await client.CompleteChatAsync([new UserChatMessage(ticket)], creative);
                    await client.CompleteChatAsync([new UserChatMessage(ticket)], creative);
                }

                public async Task<string> RetryInCatchAsync(IChatClient chat, string ticket)
                {
                    try
                    {
                        return (await chat.GetResponseAsync(ticket)).Text;
                    }
                    catch (TimeoutException)
                    {
                        return (await chat.GetResponseAsync(ticket)).Text;
                    }
                }

                public async Task BranchesAsync(IChatClient chat, string ticket, bool urgent)
                {
                    if (urgent)
                    {
                        await chat.GetResponseAsync(ticket);
                    }
                    else
                    {
                        await chat.GetResponseAsync(ticket);
                    }

                    var label = urgent ? await chat.GetResponseAsync(ticket) : null;
                    await chat.GetResponseAsync(ticket);
                    Console.WriteLine(label);
                }

                public async Task StreamingThenStoredAsync(IChatClient chat, string ticket)
                {
                    await foreach (var update in chat.GetStreamingResponseAsync(ticket))
                    {
                        Console.Write(update.Text);
                    }

                    var stored = await chat.GetResponseAsync(ticket, new ChatOptions { MaxOutputTokens = 50 });
                    Console.WriteLine(stored.Text);
                }

                private Task RefreshAsync()
                {
                    _history = new();
                    return Task.CompletedTask;
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ClientConfiguredInBetween_IsNotReported()
    {
        // Semantic Kernel's plugin-selection sample: the same prompt before and after adding a filter to the kernel.
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            class Comparison
            {
                public async Task RunAsync(Kernel kernel, IFunctionInvocationFilter filter, KernelArguments arguments)
                {
                    var result = await kernel.InvokePromptAsync("{{$Request}}", arguments);
                    Console.WriteLine(result);
                    kernel.FunctionInvocationFilters.Add(filter);
                    result = await kernel.InvokePromptAsync("{{$Request}}", arguments);
                    Console.WriteLine(result);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task CachedClient_IsNotReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.Caching.Distributed;

            class Cached
            {
                public async Task AskAsync(IChatClient inner, IDistributedCache cache, string ticket)
                {
                    var chat = new ChatClientBuilder(inner).UseDistributedCache(cache).Build();
                    await chat.GetResponseAsync(ticket);
                    await chat.GetResponseAsync(ticket);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task Fix_ReusesTheLocal_OrKeepsTheFirstResultInOne()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Classifier
            {
                public async Task<int> LocalAsync(IChatClient chat, string ticket)
                {
                    var label = await chat.GetResponseAsync($"Label: {ticket}");
                    Console.WriteLine(label.Text);
                    return (await chat.{|#0:GetResponseAsync|}($"Label: {ticket}")).Messages.Count;
                }

                public async Task DiscardedAsync(IChatClient chat, string ticket)
                {
                    await chat.GetResponseAsync($"Warm up: {ticket}");
                    var reply = await chat.{|#1:GetResponseAsync|}($"Warm up: {ticket}");
                    Console.WriteLine(reply.Text);
                }

                public async Task InlineAsync(ChatClient client, string ticket)
                {
                    Console.WriteLine((await client.CompleteChatAsync([new UserChatMessage(ticket)])).Value.Content[0].Text);
                    ChatCompletion usage = await client.{|#2:CompleteChatAsync|}([new UserChatMessage(ticket)]);
                    Console.WriteLine(usage.Usage.TotalTokenCount);
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Classifier
            {
                public async Task<int> LocalAsync(IChatClient chat, string ticket)
                {
                    var label = await chat.GetResponseAsync($"Label: {ticket}");
                    Console.WriteLine(label.Text);
                    return label.Messages.Count;
                }

                public async Task DiscardedAsync(IChatClient chat, string ticket)
                {
                    var response = await chat.GetResponseAsync($"Warm up: {ticket}");
                    var reply = response;
                    Console.WriteLine(reply.Text);
                }

                public async Task InlineAsync(ChatClient client, string ticket)
                {
                    var response = await client.CompleteChatAsync([new UserChatMessage(ticket)]);
                    Console.WriteLine(response.Value.Content[0].Text);
                    ChatCompletion usage = response;
                    Console.WriteLine(usage.Usage.TotalTokenCount);
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Expected(0, "GetResponseAsync", 10),
            Expected(1, "GetResponseAsync", 17),
            Expected(2, "CompleteChatAsync", 24));
    }

    [Fact]
    public async Task FixAll_ReusesOneResultForEveryRepeat()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Classifier
            {
                public async Task ReadFieldsAsync(IChatClient chat, string ticket)
                {
                    Console.WriteLine((await chat.GetResponseAsync(ticket)).Text);
                    Console.WriteLine((await chat.{|#0:GetResponseAsync|}(ticket)).ModelId);
                    Console.WriteLine((await chat.{|#1:GetResponseAsync|}(ticket)).Usage?.TotalTokenCount);
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Classifier
            {
                public async Task ReadFieldsAsync(IChatClient chat, string ticket)
                {
                    var response = await chat.GetResponseAsync(ticket);
                    Console.WriteLine(response.Text);
                    Console.WriteLine(response.ModelId);
                    Console.WriteLine(response.Usage?.TotalTokenCount);
                }
            }
            """;
        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionValidationMode = Microsoft.CodeAnalysis.Testing.CodeActionValidationMode.None,
            NumberOfIncrementalIterations = 2,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.Add(Expected(0, "GetResponseAsync", 9));
        test.ExpectedDiagnostics.Add(Expected(1, "GetResponseAsync", 9));
        await test.RunAsync();
    }
}
