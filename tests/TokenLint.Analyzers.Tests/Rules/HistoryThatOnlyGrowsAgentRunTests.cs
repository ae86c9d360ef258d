using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.HistoryThatOnlyGrowsAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL4004 on Agent Framework runs: a message list the code grows and hands to every run; a session the framework keeps is not one.</summary>
public sealed class HistoryThatOnlyGrowsAgentRunTests
{
    [Fact]
    public async Task MessageListGrownEveryTurnAndRunWhole_IsReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            class Chat
            {
                public async Task RunAsync(IChatClient chat, TextReader input)
                {
                    AIAgent agent = new ChatClientAgent(chat, instructions: "You are helpful.");
                    List<ChatMessage> messages = [];
                    while (input.ReadLine() is { } line)
                    {
                        messages.Add(new ChatMessage(ChatRole.User, line));
                        AgentResponse reply = await {|#0:agent.RunAsync(messages)|};
                        messages.AddRange(reply.Messages);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage(
                "'messages' gains 2 or more messages on every turn of this loop and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer"));
    }

    [Fact]
    public async Task SessionsReducersOrTrimmedLists_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            class Chat
            {
                public async Task SessionAsync(IChatClient chat, TextReader input)
                {
                    AIAgent agent = chat.AsAIAgent(instructions: "You are helpful.");
                    AgentSession session = await agent.CreateSessionAsync();
                    while (input.ReadLine() is { } line)
                    {
                        await agent.RunAsync(line, session);
                    }
                }

                public async Task ReducedAsync(IChatClient chat, TextReader input)
                {
                    AIAgent agent = chat.AsBuilder().UseChatReducer(new MessageCountingChatReducer(20)).BuildAIAgent(instructions: "You are helpful.");
                    List<ChatMessage> messages = [];
                    while (input.ReadLine() is { } line)
                    {
                        messages.Add(new ChatMessage(ChatRole.User, line));
                        AgentResponse reply = await agent.RunAsync(messages);
                        messages.AddRange(reply.Messages);
                    }
                }

                public async Task TrimmedAsync(IChatClient chat, TextReader input)
                {
                    AIAgent agent = chat.AsAIAgent(instructions: "You are helpful.");
                    List<ChatMessage> messages = [];
                    while (input.ReadLine() is { } line)
                    {
                        messages.Add(new ChatMessage(ChatRole.User, line));
                        if (messages.Count > 20) messages.RemoveRange(0, messages.Count - 20);
                        AgentResponse reply = await agent.RunAsync(messages);
                        messages.AddRange(reply.Messages);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
