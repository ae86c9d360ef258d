using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.AgentLoopWithoutStepLimitAnalyzer,
    TokenLint.CodeFixes.Rules.AgentLoopWithoutStepLimitFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class AgentLoopWithoutStepLimitTests
{
    private const string Message = "This loop calls the model again for as long as the model asks for tools, with no step limit: a model that keeps calling tools keeps the loop, and the bill, running; add a step limit";

    [Fact]
    public async Task OpenAIRequiresActionLoop_IsReportedAndGetsAStepLimit()
    {
        // The shape of the OpenAI .NET SDK's own function-calling example.
        const string source = """
            using System.Collections.Generic;
            using OpenAI.Chat;

            class Agent
            {
                public string Run(ChatClient client, List<ChatMessage> messages, ChatCompletionOptions options)
                {
                    bool requiresAction;
                    ChatCompletion completion;
                    {|#0:do|}
                    {
                        requiresAction = false;
                        completion = client.CompleteChat(messages, options);
                        switch (completion.FinishReason)
                        {
                            case ChatFinishReason.Stop:
                                messages.Add(new AssistantChatMessage(completion));
                                break;
                            case ChatFinishReason.ToolCalls:
                                messages.Add(new AssistantChatMessage(completion));
                                foreach (ChatToolCall call in completion.ToolCalls)
                                {
                                    messages.Add(new ToolChatMessage(call.Id, "42"));
                                }

                                requiresAction = true;
                                break;
                        }
                    }
                    while (requiresAction);

                    return completion.Content[0].Text;
                }
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using OpenAI.Chat;

            class Agent
            {
                public string Run(ChatClient client, List<ChatMessage> messages, ChatCompletionOptions options)
                {
                    bool requiresAction;
                    ChatCompletion completion;
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    do
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        requiresAction = false;
                        completion = client.CompleteChat(messages, options);
                        switch (completion.FinishReason)
                        {
                            case ChatFinishReason.Stop:
                                messages.Add(new AssistantChatMessage(completion));
                                break;
                            case ChatFinishReason.ToolCalls:
                                messages.Add(new AssistantChatMessage(completion));
                                foreach (ChatToolCall call in completion.ToolCalls)
                                {
                                    messages.Add(new ToolChatMessage(call.Id, "42"));
                                }

                                requiresAction = true;
                                break;
                        }
                    }
                    while (requiresAction);

                    return completion.Content[0].Text;
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource, Verify.Diagnostic("TL3003").WithLocation(0).WithMessage(Message));
    }

    [Fact]
    public async Task WhileLoopsOnToolSignals_AreReported()
    {
        const string source = """
            using System.Linq;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Agents
            {
                public async Task OpenAIAsync(ChatClient client, System.Collections.Generic.List<OpenAI.Chat.ChatMessage> messages)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    {|#0:while|} (completion.FinishReason == OpenAI.Chat.ChatFinishReason.ToolCalls)
                    {
                        messages.Add(new AssistantChatMessage(completion));
                        completion = await client.CompleteChatAsync(messages);
                    }
                }

                public async Task AnthropicAsync(AnthropicClient client, MessageCreateParams request)
                {
                    Message reply = await client.Messages.Create(request);
                    {|#1:while|} (reply.StopReason == StopReason.ToolUse)
                    {
                        reply = await client.Messages.Create(request);
                    }
                }

                public async Task ExtensionsAsync(IChatClient chat, System.Collections.Generic.List<Microsoft.Extensions.AI.ChatMessage> history)
                {
                    ChatResponse response;
                    {|#2:do|}
                    {
                        response = await chat.GetResponseAsync(history);
                        history.AddRange(response.Messages);
                    }
                    while (response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any()));
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL3003").WithLocation(0).WithMessage(Message),
            Verify.Diagnostic("TL3003").WithLocation(1).WithMessage(Message),
            Verify.Diagnostic("TL3003").WithLocation(2).WithMessage(Message));
    }

    [Fact]
    public async Task BoundedOrNonToolLoops_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agents
            {
                private const int MaxSteps = 8;

                public async Task StepCounterInConditionAsync(ChatClient client, List<ChatMessage> messages)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    for (var step = 0; step < MaxSteps && completion.FinishReason == ChatFinishReason.ToolCalls; step++)
                    {
                        completion = await client.CompleteChatAsync(messages);
                    }
                }

                public async Task GuardInBodyAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var steps = 0;
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    while (completion.FinishReason == ChatFinishReason.ToolCalls)
                    {
                        if (++steps >= MaxSteps)
                        {
                            break;
                        }

                        completion = await client.CompleteChatAsync(messages);
                    }
                }

                public async Task CancellableAsync(ChatClient client, List<ChatMessage> messages, CancellationToken cancellationToken)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    while (completion.FinishReason == ChatFinishReason.ToolCalls && !cancellationToken.IsCancellationRequested)
                    {
                        completion = await client.CompleteChatAsync(messages);
                    }
                }

                public async Task NotAToolLoopAsync(ChatClient client, List<ChatMessage> messages)
                {
                    ChatCompletion completion = await client.CompleteChatAsync(messages);
                    while (completion.FinishReason == ChatFinishReason.Length)
                    {
                        completion = await client.CompleteChatAsync(messages);
                    }
                }

                public void ToolLoopWithoutModelCall(List<ChatToolCall> calls)
                {
                    var i = 0;
                    while (calls.Count > i && calls[i].Kind == ChatToolCallKind.Function)
                    {
                        i++;
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
