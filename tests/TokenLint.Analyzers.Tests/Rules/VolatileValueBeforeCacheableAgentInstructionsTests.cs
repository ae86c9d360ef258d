using System.Threading.Tasks;
using static TokenLint.Analyzers.Tests.Rules.VolatileValueBeforeCacheablePrefixTests;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer,
    TokenLint.CodeFixes.Rules.VolatileValueBeforeCacheablePrefixFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL2001 on Agent Framework agents: the agent's instructions are the system prompt of every run.</summary>
public sealed class VolatileValueBeforeCacheableAgentInstructionsTests
{
    [Fact]
    public async Task InstructionsStartingWithTheTime_AreReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class Support
            {
            POLICY

                private readonly ChatClientAgent _agent = new(
                    new OpenAIClient("k").GetChatClient("gpt-4o").AsIChatClient(),
                    instructions: $"Today is {{|#0:DateTime.Now|}}.\n{Policy}");

                public Task<AgentResponse> AskAsync(string question) => _agent.RunAsync(question);
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.Now'", "changes on every call", ".\n" + Policy)));
    }

    [Fact]
    public async Task ChatOptionsInstructionsWithTheDate_AreReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class Support
            {
            POLICY

                public async Task AskAsync(OpenAIClient client, string question)
                {
                    AIAgent agent = client.GetChatClient("gpt-4o").AsIChatClient().AsAIAgent(new ChatClientAgentOptions
                    {
                        ChatOptions = new() { Instructions = $"Today is {|#0:{DateTime.UtcNow:D}|}. You are a support agent.\n{Policy}" },
                    });
                    await agent.RunAsync(question);
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow' (a date)", "changes every day", ". You are a support agent.\n" + Policy)));
    }

    [Fact]
    public async Task ConstantInstructionsOrTheTimeAfterThem_AreNotReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class Support
            {
            POLICY

                public async Task AskAsync(OpenAIClient client, string question)
                {
                    var chat = client.GetChatClient("gpt-4o").AsIChatClient();
                    await chat.AsAIAgent(instructions: Policy).RunAsync(question);
                    await chat.AsAIAgent(instructions: $"{Policy}\nToday is {DateTime.Now}.").RunAsync($"At {DateTime.Now}: {question}");
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source);
    }
}
