using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.UnboundedRetryLoopAnalyzer,
    TokenLint.CodeFixes.Rules.UnboundedRetryLoopFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class UnboundedRetryLoopTests
{
    private const string Message = "This loop retries the model call after every failure with no attempt limit, deadline or cancellation: a persistent failure keeps billing requests; bound the attempts";

    [Fact]
    public async Task WhileTrueRetry_IsReportedAndBounded()
    {
        const string source = """
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public async Task<ChatCompletion> AskAsync(ChatClient client, List<ChatMessage> messages)
                {
                    {|#0:while|} (true)
                    {
                        try
                        {
                            return await client.CompleteChatAsync(messages);
                        }
                        catch (ClientResultException)
                        {
                            await Task.Delay(1000);
                        }
                    }
                }
            }
            """;
        const string fixedSource = """
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public async Task<ChatCompletion> AskAsync(ChatClient client, List<ChatMessage> messages)
                {
                    const int MaxAttempts = 3;
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            return await client.CompleteChatAsync(messages);
                        }
                        catch (ClientResultException) when (attempt < MaxAttempts)
                        {
                            await Task.Delay(1000);
                        }
                    }
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource, Verify.Diagnostic("TL3001").WithLocation(0).WithMessage(Message));
    }

    [Fact]
    public async Task FlagLoopsAndForeverForLoops_AreReported()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;

            class Agent
            {
                public async Task<string> ParseAsync(IChatClient chat, string question)
                {
                    var parsed = false;
                    var answer = "";
                    {|#0:while|} (!parsed)
                    {
                        try
                        {
                            var response = await chat.GetResponseAsync(question);
                            answer = response.Text.Trim();
                            parsed = answer.Length > 0;
                        }
                        catch (FormatException)
                        {
                        }
                    }

                    return answer;
                }

                public async Task<Message> CreateAsync(AnthropicClient client, MessageCreateParams request)
                {
                    {|#1:for|} (;;)
                    {
                        try
                        {
                            return await client.Messages.Create(request);
                        }
                        catch (Exception exception) when (exception is not OperationCanceledException)
                        {
                            Console.WriteLine(exception.Message);
                        }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL3001").WithLocation(0).WithMessage(Message),
            Verify.Diagnostic("TL3001").WithLocation(1).WithMessage(Message));
    }

    [Fact]
    public async Task LoopsUntilTheAnswerPassesACheck_AreReportedWithoutAFix()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
                public async Task<int> AskNumberAsync(IChatClient chat, string question)
                {
                    {|#0:while|} (true)
                    {
                        var response = await chat.GetResponseAsync(question);
                        if (int.TryParse(response.Text, out var number))
                        {
                            return number;
                        }
                    }
                }

                public async Task<string> AskJsonAsync(IChatClient chat, string question)
                {
                    string answer;
                    {|#1:do|}
                    {
                        answer = (await chat.GetResponseAsync(question)).Text;
                    }
                    while (!answer.TrimStart().StartsWith("{"));
                    return answer;
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL3001").WithLocation(0).WithMessage(Message),
            Verify.Diagnostic("TL3001").WithLocation(1).WithMessage(Message));
    }

    [Fact]
    public async Task ChatLoopsAndReaderLoops_AreNotReported()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Console2
            {
                // A chat: the exit checks the user's input, not the model's answer.
                public async Task ChatAsync(IChatClient chat, TextReader input)
                {
                    while (true)
                    {
                        var line = input.ReadLine();
                        if (line is null || line == "exit")
                        {
                            break;
                        }

                        var response = await chat.GetResponseAsync(line);
                        Console.WriteLine(response.Text);
                    }
                }

                // A chat that reports a failure and reads the next message: after a success it goes round
                // too, so it repeats but does not retry (the Semantic Kernel ONNX chat demo).
                public async Task ChatThatReportsErrorsAsync(IChatClient chat, TextReader input)
                {
                    while (true)
                    {
                        var line = input.ReadLine();
                        if (string.IsNullOrEmpty(line))
                        {
                            break;
                        }

                        try
                        {
                            var response = await chat.GetResponseAsync(line);
                            Console.WriteLine(response.Text);
                        }
                        catch (Exception e)
                        {
                            Console.WriteLine(e.Message);
                        }
                    }
                }

                // A loop over input lines ends with the input, failures or not.
                public async Task EachLineAsync(IChatClient chat, TextReader input)
                {
                    string? line;
                    while ((line = input.ReadLine()) != null)
                    {
                        try { await chat.GetResponseAsync(line); }
                        catch (ClientResultException) { }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task BoundedLoops_AreNotReported()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public async Task<ChatCompletion?> CountedAsync(ChatClient client, List<ChatMessage> messages)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        try { return await client.CompleteChatAsync(messages); }
                        catch (ClientResultException) { await Task.Delay(1000); }
                    }

                    return null;
                }

                public async Task CancellableAsync(ChatClient client, List<ChatMessage> messages, CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        try { await client.CompleteChatAsync(messages); return; }
                        catch (ClientResultException) { await Task.Delay(1000, cancellationToken); }
                    }
                }

                public async Task<ChatCompletion> RethrowsAfterThreeAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var failures = 0;
                    while (true)
                    {
                        try { return await client.CompleteChatAsync(messages); }
                        catch (ClientResultException) when (++failures < 3) { await Task.Delay(1000); }
                    }
                }

                public async Task EachQuestionOnceAsync(ChatClient client, IEnumerable<string> questions)
                {
                    foreach (var question in questions)
                    {
                        try { await client.CompleteChatAsync(new UserChatMessage(question)); }
                        catch (ClientResultException) { }
                    }
                }

                public async Task<ChatCompletion> GivesUpAsync(ChatClient client, List<ChatMessage> messages)
                {
                    while (true)
                    {
                        try { return await client.CompleteChatAsync(messages); }
                        catch (ClientResultException) { throw; }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    private const string GotoMessage = "This goto retries the model call after every failure with no attempt limit, deadline or cancellation: a persistent failure keeps billing requests; bound the attempts";

    [Fact]
    public async Task GotoRetries_AreReportedWithoutAFix()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Agent
            {
                public async Task<ChatCompletion> AskAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                retry:
                    try
                    {
                        return await client.CompleteChatAsync(messages);
                    }
                    catch (ClientResultException)
                    {
                        await Task.Delay(1000);
                        {|#0:goto|} retry;
                    }
                }

                public async Task<string> SummarizeAsync(IChatClient chat, string text)
                {
                    ChatResponse response;
                again:
                    try
                    {
                        response = await chat.GetResponseAsync("Summarize: " + text);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        Console.WriteLine(exception.Message);
                        {|#1:goto|} again;
                    }

                    return response.Text;
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL3001").WithLocation(0).WithMessage(GotoMessage),
            Verify.Diagnostic("TL3001").WithLocation(1).WithMessage(GotoMessage));
    }

    [Fact]
    public async Task BoundedOrForwardGotos_AreNotReported()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public async Task<ChatCompletion> CountedAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var attempt = 0;
                retry:
                    try
                    {
                        return await client.CompleteChatAsync(messages);
                    }
                    catch (ClientResultException)
                    {
                        if (++attempt < 3)
                        {
                            goto retry;
                        }

                        throw;
                    }
                }

                public async Task<ChatCompletion> FilteredAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var failures = 0;
                retry:
                    try
                    {
                        return await client.CompleteChatAsync(messages);
                    }
                    catch (ClientResultException) when (++failures <= 3)
                    {
                        goto retry;
                    }
                }

                public async Task<ChatCompletion> CancellableAsync(ChatClient client, List<ChatMessage> messages, CancellationToken cancellationToken)
                {
                retry:
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        return await client.CompleteChatAsync(messages, cancellationToken: cancellationToken);
                    }
                    catch (ClientResultException)
                    {
                        goto retry;
                    }
                }

                // A jump forward, to a fallback: nothing is called again.
                public async Task<string> FallbackAsync(ChatClient client, List<ChatMessage> messages)
                {
                    try
                    {
                        return (await client.CompleteChatAsync(messages)).Value.Content[0].Text;
                    }
                    catch (ClientResultException)
                    {
                        goto fallback;
                    }

                fallback:
                    return "The assistant is unavailable.";
                }

                // A retry of something that is not a model call.
                public async Task<string> ReadAsync(string path)
                {
                retry:
                    try
                    {
                        return await System.IO.File.ReadAllTextAsync(path);
                    }
                    catch (System.IO.IOException)
                    {
                        await Task.Delay(100);
                        goto retry;
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
