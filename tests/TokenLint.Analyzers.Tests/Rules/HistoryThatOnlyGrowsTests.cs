using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.HistoryThatOnlyGrowsAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class HistoryThatOnlyGrowsTests
{
    private static string Message(string name) =>
        $"'{name}' gains 2 messages on every turn of this loop and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer";

    [Fact]
    public async Task ChatLoopsThatOnlyAppend_AreReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class Chat
            {
                public async Task OpenAIAsync(ChatClient client, TextReader input)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("You are helpful.")];
                    while (true)
                    {
                        var line = input.ReadLine();
                        if (line == "exit") break;
                        messages.Add(new UserChatMessage(line));
                        ChatCompletion reply = await {|#0:client.CompleteChatAsync(messages)|};
                        messages.Add(new AssistantChatMessage(reply));
                    }
                }

                public async Task KernelAsync(IChatCompletionService chat, TextReader input)
                {
                    var history = new ChatHistory("You are helpful.");
                    string? line;
                    while ((line = input.ReadLine()) != null)
                    {
                        history.AddUserMessage(line);
                        var reply = await {|#1:chat.GetChatMessageContentAsync(history)|};
                        history.Add(reply);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage(Message("messages")),
            Verify.Diagnostic("TL4004").WithLocation(1).WithMessage(Message("history")));
    }

    [Fact]
    public async Task TrimmedBoundedOrFreshHistories_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Chat
            {
                public async Task WindowAsync(ChatClient client, TextReader input)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("You are helpful.")];
                    while (true)
                    {
                        messages.Add(new UserChatMessage(input.ReadLine()));
                        ChatCompletion reply = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(reply));
                        if (messages.Count > 21) messages.RemoveRange(1, 2);
                    }
                }

                public async Task ThreeTurnsAsync(ChatClient client, string[] questions)
                {
                    List<ChatMessage> messages = [];
                    for (var turn = 0; turn < 3; turn++)
                    {
                        messages.Add(new UserChatMessage(questions[turn]));
                        await client.CompleteChatAsync(messages);
                    }
                }

                public async Task FreshEachTurnAsync(ChatClient client, TextReader input)
                {
                    while (true)
                    {
                        List<ChatMessage> messages = [new UserChatMessage(input.ReadLine())];
                        messages.Add(new SystemChatMessage("Be brief."));
                        await client.CompleteChatAsync(messages);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ManualFunctionCallingLoops_AreLeftToTL3003()
    {
        // Semantic Kernel's manual function-calling sample: the history grows by tool results within one request,
        // and the loop ends when the model asks for no tools; TL3003 reports the missing step limit.
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class Agent
            {
                public async Task RunAsync(Kernel kernel, IChatCompletionService chat)
                {
                    ChatHistory chatHistory = [];
                    chatHistory.AddUserMessage("What is the likely color of the sky in Boston today?");
                    while (true)
                    {
                        ChatMessageContent result = await chat.GetChatMessageContentAsync(chatHistory, kernel: kernel);
                        IEnumerable<FunctionCallContent> functionCalls = FunctionCallContent.GetFunctionCalls(result);
                        if (!functionCalls.Any())
                        {
                            break;
                        }

                        chatHistory.Add(result);
                        foreach (FunctionCallContent functionCall in functionCalls)
                        {
                            FunctionResultContent resultContent = await functionCall.InvokeAsync(kernel);
                            chatHistory.Add(resultContent.ToChatMessage());
                        }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
