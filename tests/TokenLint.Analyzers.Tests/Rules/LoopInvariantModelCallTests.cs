using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.LoopInvariantModelCallAnalyzer, TokenLint.CodeFixes.Rules.LoopInvariantModelCallFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class LoopInvariantModelCallTests
{
    private static string Message(string method, string item) =>
        $"'{method}' sends the same request on every iteration of this loop: nothing it sends depends on '{item}', so each iteration after the first pays for the same answer; make the call once before the loop";

    [Fact]
    public async Task SameRequestInALoopOverItems_IsReported_ForEverySdk()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;
            using OpenAI.Responses;

            class Reports
            {
                private const string StyleGuide = "Summarise our tone-of-voice rules in five bullet points.";

                public async Task OpenAIChatAsync(ChatClient client, IEnumerable<string> tickets, List<string> output)
                {
                    foreach (var ticket in tickets)
                    {
                        ChatCompletion guide = await client.{|#0:CompleteChatAsync|}([new UserChatMessage(StyleGuide)]);
                        output.Add(ticket + guide.Content[0].Text);
                    }
                }

                public async Task ResponsesAsync(ResponsesClient client, string[] tickets, List<string> output)
                {
                    for (var i = 0; i < tickets.Length; i++)
                    {
                        var guide = await client.{|#1:CreateResponseAsync|}("gpt-4.1-mini", StyleGuide);
                        output.Add(tickets[i] + guide.Value.GetOutputText());
                    }
                }

                public async Task AnthropicAsync(AnthropicClient client, string[] tickets, List<string> output)
                {
                    var parameters = new MessageCreateParams { Model = "claude-haiku-4-5", MaxTokens = 300, Messages = [new UserMessageParam(StyleGuide)] };
                    foreach (var ticket in tickets)
                    {
                        var guide = await client.Messages.{|#2:Create|}(parameters);
                        output.Add(ticket + guide.Content.Count);
                    }
                }

                public async Task ExtensionsAIAsync(IChatClient chat, string[] tickets, List<string> output)
                {
                    foreach (var ticket in tickets)
                    {
                        output.Add(ticket + (await chat.{|#3:GetResponseAsync|}(StyleGuide, new ChatOptions { Temperature = 0 })).Text);
                    }
                }

                public async Task SemanticKernelAsync(Kernel kernel, IChatCompletionService chat, string[] tickets, List<string> output)
                {
                    var history = new ChatHistory("You write style guides.");
                    history.AddUserMessage(StyleGuide);
                    foreach (var ticket in tickets)
                    {
                        var guide = await chat.{|#4:GetChatMessageContentAsync|}(history);
                        var rules = await kernel.{|#5:InvokePromptAsync|}(StyleGuide);
                        output.Add(ticket + guide.Content + rules);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL5001").WithLocation(0).WithMessage(Message("CompleteChatAsync", "ticket")),
            Verify.Diagnostic("TL5001").WithLocation(1).WithMessage(Message("CreateResponseAsync", "i")),
            Verify.Diagnostic("TL5001").WithLocation(2).WithMessage(Message("Create", "ticket")),
            Verify.Diagnostic("TL5001").WithLocation(3).WithMessage(Message("GetResponseAsync", "ticket")),
            Verify.Diagnostic("TL5001").WithLocation(4).WithMessage(Message("GetChatMessageContentAsync", "ticket")),
            Verify.Diagnostic("TL5001").WithLocation(5).WithMessage(Message("InvokePromptAsync", "ticket")));
    }

    [Fact]
    public async Task RequestsThatChangeWithTheLoop_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using OpenAI.Chat;

            class Loops
            {
                private string _focus = "billing";

                // The item is in the prompt.
                public async Task ArgumentAsync(ChatClient client, string[] tickets)
                {
                    foreach (var ticket in tickets)
                    {
                        await client.CompleteChatAsync([new UserChatMessage($"Summarise: {ticket}")]);
                    }
                }

                // A local the loop assigns before the call.
                public async Task AssignedAsync(IChatClient chat, string[] tickets)
                {
                    string prompt = "";
                    foreach (var ticket in tickets)
                    {
                        prompt = "Summarise: " + ticket;
                        await chat.GetResponseAsync(prompt);
                    }
                }

                // The message list grows in the loop (an agent or polling loop).
                public async Task AppendedAsync(IChatClient chat, string[] tickets)
                {
                    List<Microsoft.Extensions.AI.ChatMessage> messages = [new(ChatRole.System, "You triage tickets.")];
                    foreach (var ticket in tickets)
                    {
                        messages.Add(new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, ticket));
                        var reply = await chat.GetResponseAsync(messages);
                        messages.AddMessages(reply);
                    }
                }

                // The options are changed in the loop.
                public async Task OptionsChangedAsync(IChatClient chat, string[] models)
                {
                    var options = new ChatOptions();
                    foreach (var model in models)
                    {
                        options.ModelId = model;
                        await chat.GetResponseAsync("Say hello.", options);
                    }
                }

                // Kernel arguments set per item.
                public async Task KernelArgumentsAsync(Kernel kernel, string[] tickets)
                {
                    var arguments = new KernelArguments();
                    foreach (var ticket in tickets)
                    {
                        arguments["ticket"] = ticket;
                        await kernel.InvokePromptAsync("Summarise {{$ticket}}", arguments);
                    }
                }

                // A field that a method of the type changes between iterations.
                public async Task FieldChangedByAMethodAsync(IChatClient chat, string[] areas)
                {
                    foreach (var area in areas)
                    {
                        Focus(area);
                        await chat.GetResponseAsync(_focus);
                    }
                }

                // The clock and a helper that builds the prompt.
                public async Task ComputedAsync(IChatClient chat, string[] tickets)
                {
                    foreach (var ticket in tickets)
                    {
                        await chat.GetResponseAsync($"It is {System.DateTime.UtcNow:t}. Any outage news?");
                        await chat.GetResponseAsync(BuildPrompt());
                    }
                }

                // The line read by the loop condition is the prompt.
                public async Task ReaderAsync(IChatClient chat, TextReader input)
                {
                    string? line;
                    while ((line = input.ReadLine()) != null)
                    {
                        await chat.GetResponseAsync(line);
                    }
                }

                private void Focus(string area) => _focus = area;

                private static string BuildPrompt() => "Anything new?";
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task DeliberateRepeats_AreNotReported()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.ClientModel;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.Caching.Distributed;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;
            using OpenAI.Chat;

            class Repeats
            {
                // Sampling: several answers at a temperature above 0, or a counter nothing reads.
                public async Task SamplingAsync(ChatClient client, IChatClient chat, IChatCompletionService sk, string[] voters, List<string> votes)
                {
                    foreach (var voter in voters)
                    {
                        ChatCompletion vote = await client.CompleteChatAsync([new UserChatMessage("Pick a name for the feature.")], new ChatCompletionOptions { Temperature = 0.9f });
                        votes.Add(voter + vote.Content[0].Text);
                        var idea = await chat.GetResponseAsync("Pick a name for the feature.", new ChatOptions { Temperature = 1.0f });
                        votes.Add(voter + idea.Text);
                        var history = new ChatHistory("Pick a name for the feature.");
                        var kernelVote = await sk.GetChatMessageContentAsync(history, new OpenAIPromptExecutionSettings { Temperature = 0.7 });
                        votes.Add(voter + kernelVote.Content);
                    }

                    for (var i = 0; i < 5; i++)
                    {
                        votes.Add((await chat.GetResponseAsync("Pick a name for the feature.")).Text);
                    }

                    // A counter that is only printed counts samples; it walks no items.
                    for (var i = 0; i < 3; i++)
                    {
                        var sample = await chat.GetResponseAsync("Pick a name for the feature.");
                        Console.WriteLine($"Sample {i + 1}: {sample.Text}");
                    }
                }

                // Retries: a try around the call, a loop that leaves on success.
                public async Task<string> RetryAsync(IChatClient chat, string[] regions)
                {
                    foreach (var region in regions)
                    {
                        try
                        {
                            return (await chat.GetResponseAsync("Write the status page headline.")).Text;
                        }
                        catch (TimeoutException)
                        {
                            Console.WriteLine($"{region} timed out");
                        }
                    }

                    foreach (var region in regions)
                    {
                        var reply = await chat.GetResponseAsync("Write the status page headline.");
                        if (reply.Text.Length > 0)
                        {
                            Console.WriteLine(region);
                            break;
                        }
                    }

                    return "";
                }

                // A caching client answers the repeats, and a memoising wrapper is in between.
                public async Task CachedAsync(IChatClient inner, IDistributedCache cache, string[] tickets, Dictionary<string, Task<ChatResponse>> memo)
                {
                    IChatClient cached = inner.AsBuilder().UseDistributedCache(cache).Build();
                    foreach (var ticket in tickets)
                    {
                        var guide = await cached.GetResponseAsync("Summarise the style guide.");
                        Console.WriteLine(ticket + guide.Text);
                        var memoised = await GetOrAdd(memo, "guide", () => inner.GetResponseAsync("Summarise the style guide."));
                        Console.WriteLine(ticket + memoised.Text);
                    }
                }

                // Streaming to the user, and a request with tools (they read new data each time).
                public async Task StreamingAndToolsAsync(IChatClient chat, AIFunction lookup, string[] tickets)
                {
                    var options = new ChatOptions { Tools = [lookup] };
                    foreach (var ticket in tickets)
                    {
                        await foreach (var update in chat.GetStreamingResponseAsync("Say something nice."))
                        {
                            Console.Write(ticket + update.Text);
                        }

                        var triage = await chat.GetResponseAsync("Check the queue and triage what is new.", options);
                        Console.WriteLine(ticket + triage.Text);
                    }
                }

                private static Task<ChatResponse> GetOrAdd(Dictionary<string, Task<ChatResponse>> memo, string key, Func<Task<ChatResponse>> call) =>
                    memo.TryGetValue(key, out var found) ? found : memo[key] = call();
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task Fix_MovesTheCallBeforeTheLoop_AndFixAllMovesEach()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Digest
            {
                public async Task<List<string>> BuildAsync(ChatClient client, IChatClient chat, IReadOnlyList<string> tickets)
                {
                    var lines = new List<string>();
                    foreach (var ticket in tickets)
                    {
                        // The house style, asked for every ticket.
                        ChatCompletion style = await client.{|#0:CompleteChatAsync|}([new UserChatMessage("Describe our reply style in one line.")]);
                        var greeting = await chat.{|#1:GetResponseAsync|}("Write a one-line greeting.");
                        lines.Add($"{greeting.Text} {ticket}: {style.Content[0].Text}");
                    }

                    return lines;
                }
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Digest
            {
                public async Task<List<string>> BuildAsync(ChatClient client, IChatClient chat, IReadOnlyList<string> tickets)
                {
                    var lines = new List<string>();
                    // The house style, asked for every ticket.
                    ChatCompletion style = await client.CompleteChatAsync([new UserChatMessage("Describe our reply style in one line.")]);
                    var greeting = await chat.GetResponseAsync("Write a one-line greeting.");
                    foreach (var ticket in tickets)
                    {
                        lines.Add($"{greeting.Text} {ticket}: {style.Content[0].Text}");
                    }

                    return lines;
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL5001").WithLocation(0).WithMessage(Message("CompleteChatAsync", "ticket")),
            Verify.Diagnostic("TL5001").WithLocation(1).WithMessage(Message("GetResponseAsync", "ticket")));
    }

    [Fact]
    public async Task Fix_IsNotOffered_WhenMovingTheCallIsNotSafe()
    {
        // Used inline; after a statement that can skip it; reading a local declared in the loop; a name that the
        // block around the loop declares again.
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Digest
            {
                public async Task BuildAsync(IChatClient chat, IReadOnlyList<string> tickets)
                {
                    foreach (var ticket in tickets)
                    {
                        Console.WriteLine(ticket + (await chat.{|#0:GetResponseAsync|}("Write a greeting.")).Text);
                    }

                    foreach (var ticket in tickets)
                    {
                        if (ticket.Length == 0)
                        {
                            continue;
                        }

                        var greeting = await chat.{|#1:GetResponseAsync|}("Write a greeting.");
                        Console.WriteLine(ticket + greeting.Text);
                    }

                    foreach (var ticket in tickets)
                    {
                        var style = await chat.{|#2:GetResponseAsync|}("Describe our style.");
                        Console.WriteLine(ticket + style.Text);
                    }

                    var other = tickets.Count;
                    {
                        var style = other;
                        Console.WriteLine(style);
                    }
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL5001").WithLocation(0).WithMessage(Message("GetResponseAsync", "ticket")),
            Verify.Diagnostic("TL5001").WithLocation(1).WithMessage(Message("GetResponseAsync", "ticket")),
            Verify.Diagnostic("TL5001").WithLocation(2).WithMessage(Message("GetResponseAsync", "ticket")));
    }
}
