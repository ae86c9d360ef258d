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

    [Fact]
    public async Task EndlessLoopsThatStopOnlyWhenNoToolIsAskedFor_AreReportedAndGetAStepLimit()
    {
        // The manual function-calling loops of the Semantic Kernel and OpenAI samples (#2: streaming).
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class Agents
            {
                public async Task SemanticKernelAsync(Kernel kernel, IChatCompletionService chat, ChatHistory history)
                {
                    {|#0:while|} (true)
                    {
                        Microsoft.SemanticKernel.ChatMessageContent result = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        IEnumerable<Microsoft.SemanticKernel.FunctionCallContent> functionCalls = Microsoft.SemanticKernel.FunctionCallContent.GetFunctionCalls(result);
                        if (!functionCalls.Any())
                        {
                            break;
                        }

                        history.Add(result);
                        foreach (var call in functionCalls)
                        {
                            history.Add((await call.InvokeAsync(kernel)).ToChatMessage());
                        }
                    }
                }

                public async Task SemanticKernelStreamingAsync(Kernel kernel, IChatCompletionService chat, ChatHistory history)
                {
                    {|#2:while|} (true)
                    {
                        var builder = new FunctionCallContentBuilder();
                        await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history, kernel: kernel))
                        {
                            builder.Append(update);
                        }

                        var functionCalls = builder.Build();
                        if (!functionCalls.Any())
                        {
                            break;
                        }

                        foreach (var call in functionCalls)
                        {
                            history.Add((await call.InvokeAsync(kernel)).ToChatMessage());
                        }
                    }
                }

                public async Task<string> OpenAIAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    {|#1:for|} (;;)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.ToolCalls.Count > 0)
                        {
                            messages.Add(new AssistantChatMessage(completion));
                            continue;
                        }

                        return completion.Content[0].Text;
                    }
                }
            }
            """;
        const string fixedSource = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class Agents
            {
                public async Task SemanticKernelAsync(Kernel kernel, IChatCompletionService chat, ChatHistory history)
                {
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    while (true)
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        Microsoft.SemanticKernel.ChatMessageContent result = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        IEnumerable<Microsoft.SemanticKernel.FunctionCallContent> functionCalls = Microsoft.SemanticKernel.FunctionCallContent.GetFunctionCalls(result);
                        if (!functionCalls.Any())
                        {
                            break;
                        }

                        history.Add(result);
                        foreach (var call in functionCalls)
                        {
                            history.Add((await call.InvokeAsync(kernel)).ToChatMessage());
                        }
                    }
                }

                public async Task SemanticKernelStreamingAsync(Kernel kernel, IChatCompletionService chat, ChatHistory history)
                {
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    while (true)
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        var builder = new FunctionCallContentBuilder();
                        await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history, kernel: kernel))
                        {
                            builder.Append(update);
                        }

                        var functionCalls = builder.Build();
                        if (!functionCalls.Any())
                        {
                            break;
                        }

                        foreach (var call in functionCalls)
                        {
                            history.Add((await call.InvokeAsync(kernel)).ToChatMessage());
                        }
                    }
                }

                public async Task<string> OpenAIAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    for (;;)
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.ToolCalls.Count > 0)
                        {
                            messages.Add(new AssistantChatMessage(completion));
                            continue;
                        }

                        return completion.Content[0].Text;
                    }
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL3003").WithLocation(0).WithMessage(Message),
            Verify.Diagnostic("TL3003").WithLocation(1).WithMessage(Message),
            Verify.Diagnostic("TL3003").WithLocation(2).WithMessage(Message));
    }

    [Fact]
    public async Task EndlessLoopsThatStopForOtherReasons_AreNotReported()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agents
            {
                // A chat loop that ends when the user stops typing: TL4004's, not an agent loop.
                public async Task ChatAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    while (true)
                    {
                        string? input = Console.ReadLine();
                        if (input is null)
                        {
                            break;
                        }

                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        foreach (var call in completion.ToolCalls)
                        {
                            if (call.FunctionName == "exit")
                            {
                                break; // leaves the foreach, not the loop
                            }
                        }
                    }
                }

                // A step counter bounds it.
                public async Task BoundedAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    for (var step = 0; ; step++)
                    {
                        if (step >= 8)
                        {
                            break;
                        }

                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.ToolCalls.Count == 0)
                        {
                            break;
                        }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task FlagLoopsClearedOnlyWhenTheModelStopsAskingForTools_AreReportedAndGetAStepLimit()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Agents
            {
                public async Task OpenAIAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    bool running = true;
                    {|#0:while|} (running)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(completion));
                        if (completion.FinishReason != OpenAI.Chat.ChatFinishReason.ToolCalls)
                        {
                            running = false;
                        }
                        else
                        {
                            foreach (ChatToolCall call in completion.ToolCalls)
                            {
                                messages.Add(new ToolChatMessage(call.Id, "42"));
                            }
                        }
                    }
                }

                public async Task AnthropicAsync(AnthropicClient client, MessageCreateParams request)
                {
                    var done = false;
                    {|#1:while|} (!done)
                    {
                        Message reply = await client.Messages.Create(request);
                        bool askedForTools = false;
                        foreach (var block in reply.Content)
                        {
                            if (block.TryPickToolUse(out var toolUse))
                            {
                                askedForTools = true;
                            }
                        }

                        if (!askedForTools)
                        {
                            done = true;
                        }
                    }
                }

                public async Task ExtensionsAsync(IChatClient chat, List<Microsoft.Extensions.AI.ChatMessage> history)
                {
                    bool keepGoing;
                    {|#2:do|}
                    {
                        ChatResponse response = await chat.GetResponseAsync(history);
                        history.AddRange(response.Messages);
                        keepGoing = response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any());
                    }
                    while (keepGoing);
                }

                public async Task SwitchOnFinishReasonAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    var running = true;
                    {|#3:while|} (running)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        switch (completion.FinishReason)
                        {
                            case OpenAI.Chat.ChatFinishReason.Stop:
                                running = false;
                                break;
                            case OpenAI.Chat.ChatFinishReason.ToolCalls:
                                messages.Add(new AssistantChatMessage(completion));
                                break;
                        }
                    }
                }
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class Agents
            {
                public async Task OpenAIAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    bool running = true;
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    while (running)
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(completion));
                        if (completion.FinishReason != OpenAI.Chat.ChatFinishReason.ToolCalls)
                        {
                            running = false;
                        }
                        else
                        {
                            foreach (ChatToolCall call in completion.ToolCalls)
                            {
                                messages.Add(new ToolChatMessage(call.Id, "42"));
                            }
                        }
                    }
                }

                public async Task AnthropicAsync(AnthropicClient client, MessageCreateParams request)
                {
                    var done = false;
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    while (!done)
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        Message reply = await client.Messages.Create(request);
                        bool askedForTools = false;
                        foreach (var block in reply.Content)
                        {
                            if (block.TryPickToolUse(out var toolUse))
                            {
                                askedForTools = true;
                            }
                        }

                        if (!askedForTools)
                        {
                            done = true;
                        }
                    }
                }

                public async Task ExtensionsAsync(IChatClient chat, List<Microsoft.Extensions.AI.ChatMessage> history)
                {
                    bool keepGoing;
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    do
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        ChatResponse response = await chat.GetResponseAsync(history);
                        history.AddRange(response.Messages);
                        keepGoing = response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any());
                    }
                    while (keepGoing);
                }

                public async Task SwitchOnFinishReasonAsync(ChatClient client, List<OpenAI.Chat.ChatMessage> messages)
                {
                    var running = true;
                    const int MaxAgentSteps = 10;
                    var agentSteps = 0;
                    while (running)
                    {
                        if (++agentSteps > MaxAgentSteps)
                        {
                            throw new global::System.InvalidOperationException($"The agent loop stopped after {MaxAgentSteps} steps; the model kept asking for tools.");
                        }
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        switch (completion.FinishReason)
                        {
                            case OpenAI.Chat.ChatFinishReason.Stop:
                                running = false;
                                break;
                            case OpenAI.Chat.ChatFinishReason.ToolCalls:
                                messages.Add(new AssistantChatMessage(completion));
                                break;
                        }
                    }
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL3003").WithLocation(0).WithMessage(Message),
            Verify.Diagnostic("TL3003").WithLocation(1).WithMessage(Message),
            Verify.Diagnostic("TL3003").WithLocation(2).WithMessage(Message),
            Verify.Diagnostic("TL3003").WithLocation(3).WithMessage(Message));
    }

    [Fact]
    public async Task FlagLoopsWithAnotherWayOut_AreNotReported()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agents
            {
                private bool _running = true;

                // A counter also clears the flag.
                public async Task CounterAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var running = true;
                    var steps = 0;
                    while (running)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.ToolCalls.Count == 0)
                        {
                            running = false;
                        }

                        if (++steps >= 10)
                        {
                            running = false;
                        }
                    }
                }

                // The same counter inside the test that clears the flag.
                public async Task CounterInTheSameTestAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var done = false;
                    var steps = 0;
                    while (!done)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        steps++;
                        if (completion.ToolCalls.Count == 0 || steps == 10)
                        {
                            done = true;
                        }
                    }
                }

                // The user ends it.
                public async Task UserCommandAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var running = true;
                    while (running)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.FinishReason == ChatFinishReason.ToolCalls)
                        {
                            messages.Add(new AssistantChatMessage(completion));
                            continue;
                        }

                        if (Console.ReadLine() == "quit")
                        {
                            running = false;
                        }
                    }
                }

                // Ctrl+C clears the flag from a handler.
                public async Task EventHandlerAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var running = true;
                    Console.CancelKeyPress += (_, _) => running = false;
                    while (running)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.ToolCalls.Count == 0)
                        {
                            running = false;
                        }
                    }
                }

                // A failure ends it.
                public async Task ExceptionPathAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var running = true;
                    while (running)
                    {
                        try
                        {
                            ChatCompletion completion = await client.CompleteChatAsync(messages);
                            if (completion.ToolCalls.Count == 0)
                            {
                                running = false;
                            }
                        }
                        catch (InvalidOperationException)
                        {
                            running = false;
                        }
                    }
                }

                // A break on another test.
                public async Task BreakOnTimeoutAsync(ChatClient client, List<ChatMessage> messages, DateTime deadline)
                {
                    var done = false;
                    while (!done)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        done = completion.FinishReason == ChatFinishReason.Stop;
                        if (DateTime.UtcNow.Ticks == deadline.Ticks)
                        {
                            break;
                        }
                    }
                }

                // A flag another method clears (Stop()).
                public async Task FieldFlagAsync(ChatClient client, List<ChatMessage> messages)
                {
                    while (_running)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.ToolCalls.Count == 0)
                        {
                            _running = false;
                        }
                    }
                }

                public void Stop() => _running = false;

                // A cancellation check.
                public async Task CancellableAsync(ChatClient client, List<ChatMessage> messages, CancellationToken cancellationToken)
                {
                    var running = true;
                    while (running)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.ToolCalls.Count == 0)
                        {
                            running = false;
                        }
                    }
                }

                // A chat loop with no tools: the flag follows the finish reason, but nothing asks for tools.
                public async Task NoToolsAsync(ChatClient client, List<ChatMessage> messages)
                {
                    var running = true;
                    while (running)
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        if (completion.FinishReason == ChatFinishReason.Length)
                        {
                            running = false;
                        }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task FlagClearedOnEndTurn_IsReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Agent
            {
                public async Task RunAsync(AnthropicClient client, MessageCreateParams request)
                {
                    var running = true;
                    {|#0:while|} (running)
                    {
                        Message reply = await client.Messages.Create(request);
                        if (reply.StopReason == StopReason.EndTurn)
                        {
                            running = false;
                        }
                        else if (reply.StopReason == StopReason.ToolUse)
                        {
                            request = request with { };
                        }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("TL3003").WithLocation(0).WithMessage(Message));
    }
}
