using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.RepeatedModelRequestAnalyzer, TokenLint.CodeFixes.Rules.RepeatedModelRequestFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL5002 on Agent Framework runs: a stateless run repeated is one answer paid twice; a run in a session is the next turn.</summary>
public sealed class RepeatedAgentRunTests
{
    [Fact]
    public async Task SameStatelessRunTwice_IsReported()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            class Classifier
            {
                public async Task RunAsync(IChatClient chat, string ticket)
                {
                    var agent = new ChatClientAgent(chat, instructions: "Classify the ticket.");
                    AgentResponse label = await agent.RunAsync(ticket);
                    Console.WriteLine(label.Text);
                    AgentResponse again = await agent.{|#0:RunAsync|}(ticket);
                    Console.WriteLine(again.Usage?.OutputTokenCount);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL5002").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithMessage(
                "This 'RunAsync' call sends the request of the call on line 11 again: the same client, messages and options, and nothing changes in between, so it pays twice for one answer; reuse the first result"));
    }

    [Fact]
    public async Task RunsInASessionOrWithContextProviders_AreNotReported()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            class Chat
            {
                public async Task SessionAsync(IChatClient chat)
                {
                    var agent = new ChatClientAgent(chat, instructions: "Tell a story in parts.");
                    AgentSession session = await agent.CreateSessionAsync();
                    Console.WriteLine(await agent.RunAsync("Continue.", session));
                    Console.WriteLine(await agent.RunAsync("Continue.", session));
                }

                public async Task ProvidersAsync(IChatClient chat, AIContextProvider memory)
                {
                    var agent = new ChatClientAgent(chat, new ChatClientAgentOptions { AIContextProviders = [memory] });
                    Console.WriteLine(await agent.RunAsync("What do you remember?"));
                    Console.WriteLine(await agent.RunAsync("What do you remember?"));
                }

                public async Task LoopAsync(IChatClient chat, string[] names)
                {
                    var agent = new ChatClientAgent(chat, instructions: "Continue the story.");
                    AgentSession session = await agent.CreateSessionAsync();
                    foreach (var name in names)
                    {
                        Console.WriteLine(name);
                        Console.WriteLine(await agent.RunAsync("Continue.", session));
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
