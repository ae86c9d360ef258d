using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.UnboundedRetryLoopAnalyzer,
    TokenLint.CodeFixes.Rules.UnboundedRetryLoopFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL3001 on a catch that calls its own method again: a retry loop written as recursion.</summary>
public sealed class UnboundedRetryByRecursionTests
{
    private static string Message(string method) =>
        $"'{method}' calls itself again after every failure of the model call with no attempt count, deadline or cancellation: a persistent failure keeps billing requests; pass an attempt count and stop after a few";

    [Fact]
    public async Task CatchThatCallsItsOwnMethodAgain_IsReportedWithoutAFix()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Text.Json;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            record Invoice(string Number);

            class Extractor
            {
                public async Task<Invoice> ExtractAsync(IChatClient chat, string document)
                {
                    try
                    {
                        var response = await chat.GetResponseAsync("Extract the invoice as JSON:\n" + document);
                        return JsonSerializer.Deserialize<Invoice>(response.Text)!;
                    }
                    catch (JsonException)
                    {
                        return await {|#0:ExtractAsync(chat, document)|};
                    }
                }

                public async Task<string> AskAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    try
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        return completion.Content[0].Text;
                    }
                    catch (ClientResultException exception) when (exception.Status == 429)
                    {
                        Console.WriteLine(exception.Message);
                        await Task.Delay(1000);
                        return await {|#1:AskAsync(client, messages)|};
                    }
                }

                public async Task<Message> CreateAsync(AnthropicClient client, MessageCreateParams request)
                {
                    try
                    {
                        return await client.Messages.Create(request);
                    }
                    catch (Exception exception)
                    {
                        if (exception is TimeoutException)
                        {
                            return await {|#2:CreateAsync(client, request)|};
                        }

                        return null!;
                    }
                }

                public Task<string> SummarizeAsync(IChatClient chat, string text)
                {
                    return Summarize(text);

                    async Task<string> Summarize(string input)
                    {
                        try
                        {
                            return (await chat.GetResponseAsync("Summarize: " + input)).Text;
                        }
                        catch (InvalidOperationException)
                        {
                            return await {|#3:Summarize(input)|};
                        }
                    }
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL3001").WithLocation(0).WithMessage(Message("ExtractAsync")),
            Verify.Diagnostic("TL3001").WithLocation(1).WithMessage(Message("AskAsync")),
            Verify.Diagnostic("TL3001").WithLocation(2).WithMessage(Message("CreateAsync")),
            Verify.Diagnostic("TL3001").WithLocation(3).WithMessage(Message("Summarize")));
    }

    [Fact]
    public async Task BoundedRecursion_IsNotReported()
    {
        const string source = """
            using System;
            using System.Text.Json;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            record Invoice(string Number);

            class Extractor
            {
                private const int MaxAttempts = 3;
                private int _failures;
                private bool _retrying;

                // A count handed on, changed: the callee tests it.
                public async Task<Invoice?> CountedAsync(IChatClient chat, string document, int attempt = 1)
                {
                    if (attempt > MaxAttempts)
                    {
                        return null;
                    }

                    try
                    {
                        return JsonSerializer.Deserialize<Invoice>((await chat.GetResponseAsync(document)).Text);
                    }
                    catch (JsonException)
                    {
                        return await CountedAsync(chat, document, attempt + 1);
                    }
                }

                public async Task<Invoice?> DepthAsync(IChatClient chat, string document, int retriesLeft)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Invoice>((await chat.GetResponseAsync(document)).Text);
                    }
                    catch (JsonException) when (retriesLeft > 0)
                    {
                        return await DepthAsync(chat, document, retriesLeft - 1);
                    }
                }

                // A counter in a field, changed in the catch.
                public async Task<Invoice?> FieldCountAsync(IChatClient chat, string document)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Invoice>((await chat.GetResponseAsync(document)).Text);
                    }
                    catch (JsonException)
                    {
                        _failures++;
                        return await FieldCountAsync(chat, document);
                    }
                }

                // Guarded by something that changes.
                public async Task<Invoice?> OnceAsync(IChatClient chat, string document)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Invoice>((await chat.GetResponseAsync(document)).Text);
                    }
                    catch (JsonException)
                    {
                        if (!_retrying)
                        {
                            _retrying = true;
                            return await OnceAsync(chat, document);
                        }

                        return null;
                    }
                }

                // Rethrown.
                public async Task<Invoice?> RethrowsAsync(IChatClient chat, string document)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Invoice>((await chat.GetResponseAsync(document)).Text);
                    }
                    catch (JsonException exception)
                    {
                        if (exception.Message.Length == 0)
                        {
                            throw;
                        }

                        return await RethrowsAsync(chat, document);
                    }
                }

                // A cancellation token handed on.
                public async Task<Invoice?> CancellableAsync(IChatClient chat, string document, CancellationToken cancellationToken)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Invoice>((await chat.GetResponseAsync(document, cancellationToken: cancellationToken)).Text);
                    }
                    catch (JsonException)
                    {
                        return await CancellableAsync(chat, document, cancellationToken);
                    }
                }

                // Another object's method, and a try with no model call in it.
                public async Task<Invoice?> DelegatesAsync(IChatClient chat, Extractor fallback, string document)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Invoice>((await chat.GetResponseAsync(document)).Text);
                    }
                    catch (JsonException)
                    {
                        return await fallback.DelegatesAsync(chat, fallback, document);
                    }
                }

                public async Task<string> ReadAsync(IChatClient chat, string path)
                {
                    string text;
                    try
                    {
                        text = await System.IO.File.ReadAllTextAsync(path);
                    }
                    catch (System.IO.IOException)
                    {
                        return await ReadAsync(chat, path + ".bak");
                    }

                    return (await chat.GetResponseAsync(text)).Text;
                }

                // Another request: half of the document, or a flag the callee tests.
                public async Task<string> TranslateAsync(IChatClient chat, string text)
                {
                    try
                    {
                        return (await chat.GetResponseAsync("Translate: " + text)).Text;
                    }
                    catch (InvalidOperationException)
                    {
                        return await TranslateAsync(chat, text.Substring(0, text.Length / 2));
                    }
                }

                public async Task<string> AskOnceMoreAsync(IChatClient chat, string question, bool retried = false)
                {
                    try
                    {
                        return (await chat.GetResponseAsync(question)).Text;
                    }
                    catch (InvalidOperationException) when (!retried)
                    {
                        return await AskOnceMoreAsync(chat, question, retried: true);
                    }
                }

                // The call after the try, not in a catch: a second request, not a retry.
                public async Task<string> LaterAsync(IChatClient chat, string question)
                {
                    Func<Task<string>> again = async () =>
                    {
                        try
                        {
                            return (await chat.GetResponseAsync(question)).Text;
                        }
                        catch (InvalidOperationException)
                        {
                            return await LaterAsync(chat, question);
                        }
                    };
                    return await again();
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
