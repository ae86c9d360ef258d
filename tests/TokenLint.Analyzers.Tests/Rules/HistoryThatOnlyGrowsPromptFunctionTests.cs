using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.HistoryThatOnlyGrowsAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL4004 on Semantic Kernel prompt functions: a transcript kept as text that a template variable renders whole.</summary>
public sealed class HistoryThatOnlyGrowsPromptFunctionTests
{
    [Fact]
    public async Task TranscriptAppendedEveryTurn_IsReported()
    {
        // Semantic Kernel's chat-with-a-prompt-function sample.
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class ChatBot
            {
                public async Task RunAsync(Kernel kernel)
                {
                    const string prompt = "ChatBot can talk about any topic.\n{{$history}}\nUser: {{$userInput}}\nChatBot:";
                    var chat = kernel.CreateFunctionFromPrompt(prompt, new OpenAIPromptExecutionSettings { MaxTokens = 2000 });
                    var history = "";
                    var arguments = new KernelArguments { ["history"] = history };
                    while (true)
                    {
                        var input = Console.ReadLine();
                        if (input is null) break;
                        arguments["userInput"] = input;
                        var answer = await {|#0:chat.InvokeAsync(kernel, arguments)|};
                        history += $"\nUser: {input}\nChatBot: {answer}\n";
                        arguments["history"] = history;
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage(
                "'history' gains text on every turn of this loop and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer"));
    }

    [Fact]
    public async Task TrimmedBoundedOrUnrenderedHistories_AreNotReported()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class ChatBot
            {
                private const string Prompt = "{{$history}}\nUser: {{$userInput}}\nChatBot:";

                public async Task TrimmedAsync(Kernel kernel)
                {
                    var chat = kernel.CreateFunctionFromPrompt(Prompt);
                    var history = "";
                    var arguments = new KernelArguments { ["history"] = history };
                    while (true)
                    {
                        arguments["userInput"] = Console.ReadLine();
                        var answer = await chat.InvokeAsync(kernel, arguments);
                        history += $"\nUser: {arguments["userInput"]}\nChatBot: {answer}\n";
                        if (history.Length > 4000) history = history.Substring(history.Length - 4000);
                        arguments["history"] = history;
                    }
                }

                public async Task BoundedAsync(Kernel kernel)
                {
                    var chat = kernel.CreateFunctionFromPrompt(Prompt);
                    var history = "";
                    var arguments = new KernelArguments { ["history"] = history };
                    for (int turn = 0; turn < 5; turn++)
                    {
                        arguments["userInput"] = Console.ReadLine();
                        history += await chat.InvokeAsync(kernel, arguments);
                        arguments["history"] = history;
                    }
                }

                // A ChatHistory in a {{$variable}} renders as its type name, not its messages.
                public async Task ChatHistoryObjectAsync(Kernel kernel)
                {
                    var chat = kernel.CreateFunctionFromPrompt(Prompt);
                    var history = new ChatHistory();
                    while (true)
                    {
                        var input = Console.ReadLine();
                        history.AddUserMessage(input!);
                        var answer = await chat.InvokeAsync(kernel, new() { ["history"] = history, ["userInput"] = input });
                        history.AddAssistantMessage(answer.ToString());
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    private const string Rest = " and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer";

    [Fact]
    public async Task ChatHistoryRenderedIntoKernelArguments_IsReported()
    {
        // Semantic Kernel's Learn samples: the ChatHistory joined into {{$history}} on every turn, then grown.
        const string source = """
            using System;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class Chat
            {
                public async Task RunAsync(Kernel kernel)
                {
                    var chat = kernel.CreateFunctionFromPrompt("{{$history}}\nUser: {{$request}}\nAssistant: ");
                    ChatHistory history = [];
                    while (true)
                    {
                        var request = Console.ReadLine();
                        if (request is null) break;
                        string message = "";
                        await foreach (var chunk in {|#0:kernel.InvokeStreamingAsync<StreamingChatMessageContent>(chat, new() { { "request", request }, { "history", string.Join("\n", history.Select(x => x.Role + ": " + x.Content)) } })|})
                        {
                            message += chunk;
                        }

                        history.AddUserMessage(request);
                        history.AddAssistantMessage(message);
                    }
                }
            }

            // A session object whose history is rendered into the prompt on every call.
            class Session(Kernel kernel)
            {
                private readonly ChatHistory _history = new();

                public async Task<string> AskAsync(string question)
                {
                    _history.AddUserMessage(question);
                    var transcript = string.Join("\n", _history.Select(m => $"{m.Role}: {m.Content}"));
                    var answer = await {|#1:kernel.InvokePromptAsync("Conversation so far:\n{{$history}}\nAnswer the last message.", new KernelArguments { ["history"] = transcript })|};
                    _history.AddAssistantMessage(answer.ToString());
                    return answer.ToString();
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage("'history' gains 2 messages on every turn of this loop" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(1).WithMessage("'_history' gains 2 messages on every call of 'AskAsync'" + Rest));
    }

    [Fact]
    public async Task RenderedHistoriesWindowedTrimmedOrUnused_AreNotReported()
    {
        const string source = """
            using System;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class Chat
            {
                private const string Prompt = "{{$history}}\nUser: {{$request}}\nAssistant: ";

                // The last ten messages only.
                public async Task WindowedAsync(Kernel kernel)
                {
                    var chat = kernel.CreateFunctionFromPrompt(Prompt);
                    ChatHistory history = [];
                    while (true)
                    {
                        var request = Console.ReadLine()!;
                        var answer = await kernel.InvokeAsync(chat, new() { ["request"] = request, ["history"] = string.Join("\n", history.TakeLast(10).Select(x => x.Content)) });
                        history.AddUserMessage(request);
                        history.AddAssistantMessage(answer.ToString());
                    }
                }

                // Trimmed every turn.
                public async Task TrimmedAsync(Kernel kernel)
                {
                    var chat = kernel.CreateFunctionFromPrompt(Prompt);
                    ChatHistory history = [];
                    while (true)
                    {
                        var request = Console.ReadLine()!;
                        var answer = await kernel.InvokeAsync(chat, new() { ["request"] = request, ["history"] = string.Join("\n", history.Select(x => x.Content)) });
                        history.AddUserMessage(request);
                        history.AddAssistantMessage(answer.ToString());
                        if (history.Count > 20) history.RemoveRange(0, 2);
                    }
                }

                // The template does not render the history it is given.
                public async Task UnusedAsync(Kernel kernel)
                {
                    var chat = kernel.CreateFunctionFromPrompt("User: {{$request}}\nAssistant: ");
                    ChatHistory history = [];
                    while (true)
                    {
                        var request = Console.ReadLine()!;
                        var answer = await kernel.InvokeAsync(chat, new() { ["request"] = request, ["history"] = string.Join("\n", history.Select(x => x.Content)) });
                        history.AddUserMessage(request);
                        history.AddAssistantMessage(answer.ToString());
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
