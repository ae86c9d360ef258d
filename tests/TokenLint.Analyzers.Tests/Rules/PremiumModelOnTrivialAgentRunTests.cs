using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PremiumModelOnTrivialCallAnalyzer,
    TokenLint.CodeFixes.Rules.PremiumModelOnTrivialCallFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL1001 on Agent Framework runs: the model of the agent's chat client, the run's message, the agent's options.</summary>
public sealed class PremiumModelOnTrivialAgentRunTests
{
    private const string Gpt4oMessage = "'gpt-4o' is a premium model on a trivial call ({0}); 'gpt-4o-mini' costs 16.7x less per input token";

    [Fact]
    public async Task ShortConstantRunOrTinyOutputLimit_OnAPremiumModel_AreReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class Smoke
            {
                public async Task RunAsync(string ticket)
                {
                    var client = new OpenAIClient("key");
                    var chat = client.GetChatClient("gpt-4o").AsIChatClient();
                    await chat.AsAIAgent().{|#0:RunAsync|}("Say hello");
                    var triage = new ChatClientAgent(chat, new ChatClientAgentOptions { ChatOptions = new() { Instructions = "Answer yes or no.", MaxOutputTokens = 3 } });
                    await triage.{|#1:RunAsync|}(ticket);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithMessage(string.Format(Gpt4oMessage, "the request is only a 9-character constant prompt")),
            Verify.Diagnostic("TL1001").WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "output limited to 3 tokens")));
    }

    [Fact]
    public async Task ConfiguredModelsInstructionsSessionsAndUnknownAgents_AreNotReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class Smoke
            {
                public async Task RunAsync(string modelFromConfiguration, AIAgent anyAgent, ChatClientAgent injected)
                {
                    var client = new OpenAIClient("key");
                    // A model id read from configuration stays unknown.
                    await client.GetChatClient(modelFromConfiguration).AsIChatClient().AsAIAgent().RunAsync("Say hello");

                    // Instructions or a session's history make the request more than a short prompt.
                    var chat = client.GetChatClient("gpt-4o").AsIChatClient();
                    await chat.AsAIAgent(instructions: "You are a pirate.").RunAsync("Say hello");
                    var agent = chat.AsAIAgent();
                    var session = await agent.CreateSessionAsync();
                    await agent.RunAsync("Say hello", session);

                    // Agents whose kind or client the code does not show.
                    await anyAgent.RunAsync("Say hello");
                    await injected.RunAsync("Say hello");
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
