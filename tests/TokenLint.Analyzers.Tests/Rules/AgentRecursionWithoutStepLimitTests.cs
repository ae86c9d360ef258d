using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.AgentLoopWithoutStepLimitAnalyzer,
    TokenLint.CodeFixes.Rules.AgentLoopWithoutStepLimitFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL3003 on recursive agents: a method that calls the model and calls itself again while the model asks for tools.</summary>
public sealed class AgentRecursionWithoutStepLimitTests
{
    private static string Message(string method, string through = "") =>
        $"'{method}' calls the model and, when the model asks for tools, calls itself again{through} with no depth or step limit: a model that keeps calling tools keeps the recursion, and the bill, running; pass a step count and stop past a limit";

    [Fact]
    public async Task OpenAIAndAnthropicRecursion_IsReportedWithoutAFix()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using OpenAI.Chat;

            class OpenAIAgent(ChatClient client, ChatCompletionOptions options)
            {
                public async Task<string> AskAsync(List<ChatMessage> messages)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages, options);
                    if (completion.FinishReason == ChatFinishReason.ToolCalls)
                    {
                        messages.Add(new AssistantChatMessage(completion));
                        foreach (ChatToolCall call in completion.ToolCalls)
                        {
                            messages.Add(new ToolChatMessage(call.Id, "42"));
                        }

                        return await {|#0:AskAsync|}(messages);
                    }

                    return completion.Content[0].Text;
                }
            }

            // Through one other method: the tool handler calls back into the turn.
            class AnthropicAgent(AnthropicClient client)
            {
                public async Task<string> RunAsync(MessageCreateParams request)
                {
                    Message reply = await client.Messages.Create(request);
                    if (reply.StopReason == StopReason.ToolUse)
                    {
                        return await this.{|#1:HandleToolUseAsync|}(request, reply);
                    }

                    return "done";
                }

                private async Task<string> HandleToolUseAsync(MessageCreateParams request, Message reply)
                {
                    foreach (var block in reply.Content)
                    {
                        if (block.TryPickToolUse(out var toolUse))
                        {
                            await Task.Delay(10); // runs toolUse.Name
                        }
                    }

                    return await RunAsync(request);
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL3003").WithLocation(0).WithMessage(Message("AskAsync")),
            Verify.Diagnostic("TL3003").WithLocation(1).WithMessage(Message("RunAsync", " through 'HandleToolUseAsync'")));
    }

    [Fact]
    public async Task ExtensionsAIAndSemanticKernelRecursion_IsReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class ExtensionsAgent(IChatClient chat, ChatOptions options)
            {
                // Leaves early when the model asks for no tools, recurses otherwise.
                public async Task<ChatResponse> TurnAsync(List<Microsoft.Extensions.AI.ChatMessage> history)
                {
                    var response = await chat.GetResponseAsync(history, options);
                    history.AddRange(response.Messages);
                    var calls = response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>().ToList();
                    if (calls.Count == 0)
                    {
                        return response;
                    }

                    foreach (var call in calls)
                    {
                        history.Add(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Tool, [new Microsoft.Extensions.AI.FunctionResultContent(call.CallId, "42")]));
                    }

                    return await {|#0:TurnAsync|}(history);
                }
            }

            class KernelAgent
            {
                public async Task<string> RunAsync(Kernel kernel, IChatCompletionService chat, ChatHistory history)
                {
                    return await Step();

                    // A local function that recurses while the model asks for functions.
                    async Task<string> Step()
                    {
                        var result = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        var calls = Microsoft.SemanticKernel.FunctionCallContent.GetFunctionCalls(result).ToArray();
                        if (calls.Length > 0)
                        {
                            history.Add(result);
                            foreach (var call in calls)
                            {
                                history.Add((await call.InvokeAsync(kernel)).ToChatMessage());
                            }

                            return await {|#1:Step|}();
                        }

                        return result.Content ?? "";
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL3003").WithLocation(0).WithMessage(Message("TurnAsync")),
            Verify.Diagnostic("TL3003").WithLocation(1).WithMessage(Message("Step")));
    }

    [Fact]
    public async Task BoundedRecursionAndOtherRecursion_AreNotReported()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using OpenAI.Chat;

            class Agents(ChatClient client, Agents subAgent)
            {
                private const int MaxDepth = 8;
                private int _steps;

                // A depth parameter, passed on and compared.
                public async Task<string> DepthAsync(List<ChatMessage> messages, int depth = 0)
                {
                    if (depth >= MaxDepth)
                    {
                        throw new InvalidOperationException("Too many tool rounds.");
                    }

                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    if (completion.FinishReason == ChatFinishReason.ToolCalls)
                    {
                        foreach (var call in completion.ToolCalls)
                        {
                            messages.Add(new ToolChatMessage(call.Id, "42"));
                        }

                        return await DepthAsync(messages, depth + 1);
                    }

                    return completion.Content[0].Text;
                }

                // The comparison chooses whether to recurse.
                public async Task<string> ChosenAsync(List<ChatMessage> messages, int depth)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    if (completion.ToolCalls.Count > 0)
                    {
                        foreach (var call in completion.ToolCalls)
                        {
                            messages.Add(new ToolChatMessage(call.Id, "42"));
                        }

                        return depth < MaxDepth ? await ChosenAsync(messages, depth + 1) : "Gave up.";
                    }

                    return completion.Content[0].Text;
                }

                // A step count kept in a field.
                public async Task<string> FieldCountAsync(List<ChatMessage> messages)
                {
                    if (++_steps > MaxDepth)
                    {
                        return "Gave up.";
                    }

                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    return completion.FinishReason == ChatFinishReason.ToolCalls ? await FieldCountAsync(WithToolResults(messages, completion.ToolCalls)) : completion.Content[0].Text;
                }

                // The caller can stop it.
                public async Task<string> CancellableAsync(List<ChatMessage> messages, CancellationToken cancellationToken)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ChatCompletion completion = await client.CompleteChatAsync(messages, cancellationToken: cancellationToken);
                    if (completion.FinishReason == ChatFinishReason.ToolCalls)
                    {
                        foreach (var call in completion.ToolCalls)
                        {
                            messages.Add(new ToolChatMessage(call.Id, "42"));
                        }

                        return await CancellableAsync(messages, cancellationToken);
                    }

                    return completion.Content[0].Text;
                }

                private static List<ChatMessage> WithToolResults(List<ChatMessage> messages, IReadOnlyList<ChatToolCall> calls) => messages;

                // A chat that calls itself for the next user turn, when the model asked for no tools (or after it ran them).
                public async Task ChatAsync(List<ChatMessage> messages)
                {
                    var line = Console.ReadLine();
                    if (line is null)
                    {
                        return;
                    }

                    messages.Add(new UserChatMessage(line));
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    if (completion.FinishReason != ChatFinishReason.ToolCalls)
                    {
                        Console.WriteLine(completion.Content[0].Text);
                        await ChatAsync(messages);
                    }
                }

                public async Task ChatAfterToolsAsync(List<ChatMessage> messages)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    if (completion.ToolCalls.Count > 0)
                    {
                        Console.WriteLine(completion.ToolCalls[0].FunctionName);
                        return;
                    }

                    Console.WriteLine(completion.Content[0].Text);
                    messages.Add(new UserChatMessage(Console.ReadLine() ?? "bye"));
                    await ChatAfterToolsAsync(messages);
                }

                // Recursion on something other than tool calls: a cut-off answer, a failure (TL3001's concern).
                public async Task<string> ContinueAsync(List<ChatMessage> messages)
                {
                    try
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.FinishReason == ChatFinishReason.Length)
                        {
                            messages.Add(new AssistantChatMessage(completion));
                            return completion.Content[0].Text + await ContinueAsync(messages);
                        }

                        return completion.Content[0].Text;
                    }
                    catch (ClientResultException)
                    {
                        return await ContinueAsync(messages);
                    }
                }

                // One tool round, then the answer: no recursion.
                public async Task<string> OneRoundAsync(List<ChatMessage> messages)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    if (completion.ToolCalls.Count > 0)
                    {
                        return await AnswerWithToolResultsAsync(messages, completion);
                    }

                    return completion.Content[0].Text;
                }

                private async Task<string> AnswerWithToolResultsAsync(List<ChatMessage> messages, ChatCompletion completion)
                {
                    messages.Add(new AssistantChatMessage(completion));
                    ChatCompletion final = await client.CompleteChatAsync(messages);
                    return final.Content[0].Text;
                }

                // Another agent, with its own conversation: delegation, not this agent's next turn.
                public async Task<string> DelegateAsync(List<ChatMessage> messages)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    if (completion.FinishReason == ChatFinishReason.ToolCalls)
                    {
                        return await subAgent.DelegateAsync([new UserChatMessage(completion.ToolCalls[0].FunctionArguments.ToString())]);
                    }

                    return completion.Content[0].Text;
                }
            }

            // The Anthropic.SDK connector shape: a round count passed on and checked.
            class Rounds(AnthropicClient client)
            {
                public async Task<string> HandleAsync(MessageCreateParams request, int round = 1)
                {
                    if (round > 50) throw new InvalidOperationException("Max tool rounds reached");
                    Message reply = await client.Messages.Create(request);
                    if (reply.StopReason == StopReason.ToolUse)
                    {
                        foreach (var block in reply.Content)
                        {
                            if (block.TryPickToolUse(out var toolUse))
                            {
                                await Task.Delay(10); // runs toolUse.Name
                            }
                        }

                        return await HandleAsync(request, round + 1);
                    }

                    return "done";
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
