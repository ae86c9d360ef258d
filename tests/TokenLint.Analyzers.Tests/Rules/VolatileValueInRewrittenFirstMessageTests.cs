using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer,
    TokenLint.CodeFixes.Rules.VolatileValueBeforeCacheablePrefixFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL2001 on a conversation's first message rewritten in place on every turn of a chat loop that sends the whole,
/// growing history after it: the provider can never cache the history.
/// </summary>
public sealed class VolatileValueInRewrittenFirstMessageTests
{
    private static string Message(string subject) =>
        $"{subject} changes every turn and comes before the conversation history (it rewrites the first message), so the provider cannot cache the history; send it with the latest user message instead";

    [Fact]
    public async Task SemanticKernelHistoryWithTheTurnsSearchResults_IsReported()
    {
        // The shape of kernel-memory's chat example: the memory recalled for the user's message rewrites the system
        // message ahead of the whole history.
        const string source = """"
            using System;
            using System.Text;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class Chat
            {
                public static async Task LoopAsync(IChatCompletionService chatService, Func<string, Task<string>> recall)
                {
                    var systemPrompt = """
                        You are a helpful assistant replying to user questions using information from your memory.
                        """;
                    var chatHistory = new ChatHistory(systemPrompt);
                    var reply = new StringBuilder();
                    while (true)
                    {
                        var userMessage = Console.ReadLine()?.Trim();
                        if (string.IsNullOrWhiteSpace(userMessage)) { continue; }
                        chatHistory.AddUserMessage(userMessage);
                        var longTermMemory = await recall(userMessage);
                        chatHistory[0].Content = $"{systemPrompt}\n\nLong term memory:\n{{|#0:longTermMemory|}}";
                        reply.Clear();
                        await foreach (StreamingChatMessageContent stream in chatService.GetStreamingChatMessageContentsAsync(chatHistory))
                        {
                            reply.Append(stream.Content);
                        }

                        chatHistory.AddAssistantMessage(reply.ToString());
                    }
                }
            }
            """";
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'longTermMemory'")));
    }

    [Fact]
    public async Task SystemMessageReinsertedWithTheTime_OnOpenAIAndExtensionsAI_IsReported()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;
            using ChatMessage = OpenAI.Chat.ChatMessage;

            class Chat
            {
                public async Task OpenAIAsync(ChatClient client)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("You are a helpful assistant.")];
                    while (Console.ReadLine() is { } line)
                    {
                        messages.RemoveAt(0);
                        messages.Insert(0, new SystemChatMessage($"It is {|#0:{DateTime.Now:T}|}. You are a helpful assistant."));
                        messages.Add(new UserChatMessage(line));
                        ChatCompletion answer = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(answer));
                    }
                }

                public async Task ExtensionsAIAsync(IChatClient chat)
                {
                    List<Microsoft.Extensions.AI.ChatMessage> messages = [new(ChatRole.System, "You are a helpful assistant.")];
                    for (int turn = 0; turn < 20; turn++)
                    {
                        messages[0] = new(ChatRole.System, $"Request {{|#1:Guid.NewGuid()|}}. You are a helpful assistant.");
                        messages.Add(new(ChatRole.User, Console.ReadLine() ?? ""));
                        var response = await chat.GetResponseAsync(messages);
                        messages.AddMessages(response);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.Now'")),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(Message("'Guid.NewGuid()'")));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class Chat
            {
                public async Task SameTextEveryTurnAsync(ChatClient client, string persona)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("You are a helpful assistant.")];
                    while (Console.ReadLine() is { } line)
                    {
                        // A date changes once a day; the method's parameter is the same on every turn.
                        messages[0] = new SystemChatMessage($"Today is {DateTime.Now:D}. You help {persona}.");
                        messages.Add(new UserChatMessage(line));
                        ChatCompletion answer = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(answer));
                    }
                }

                public async Task NotTheFirstMessageAsync(ChatClient client)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("You are a helpful assistant."), new UserChatMessage("")];
                    while (Console.ReadLine() is { } line)
                    {
                        messages[1] = new UserChatMessage($"It is {DateTime.Now:T}. {line}");
                        ChatCompletion answer = await client.CompleteChatAsync(messages);
                    }
                }

                public async Task HistoryThatDoesNotGrowAsync(IChatCompletionService chat)
                {
                    var history = new ChatHistory("You are a helpful assistant.");
                    history.AddUserMessage("");
                    while (Console.ReadLine() is { } line)
                    {
                        history[0].Content = $"It is {DateTime.Now:T}.";
                        history[1].Content = line;
                        await chat.GetChatMessageContentAsync(history);
                    }
                }

                public async Task InstructionsReadEveryTurnAsync(IChatCompletionService chat)
                {
                    // A file read on each turn: nothing says its text changes from one turn to the next.
                    var history = new ChatHistory("You are a helpful assistant.");
                    while (Console.ReadLine() is { } line)
                    {
                        var instructions = await System.IO.File.ReadAllTextAsync("instructions.txt");
                        history[0].Content = $"{instructions}\nBe brief.";
                        history.AddUserMessage(line);
                        var answer = await chat.GetChatMessageContentAsync(history);
                        history.Add(answer);
                    }
                }

                public async Task RewrittenOnceBeforeTheLoopAsync(IChatCompletionService chat)
                {
                    var history = new ChatHistory("You are a helpful assistant.");
                    history[0].Content = $"Session started {DateTime.Now:T}.";
                    while (Console.ReadLine() is { } line)
                    {
                        history.AddUserMessage(line);
                        var answer = await chat.GetChatMessageContentAsync(history);
                        history.Add(answer);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
