using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.UnboundedRetryLoopAnalyzer, TokenLint.CodeFixes.Rules.UnboundedRetryLoopFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL3001 on Agent Framework runs, and loops that check the answer to a new question each turn.</summary>
public sealed class UnboundedRetryLoopAgentRunTests
{
    [Fact]
    public async Task RunRepeatedUntilItsAnswerParses_IsReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            class Agent
            {
                public async Task<int> AskNumberAsync(IChatClient chat, string question)
                {
                    var agent = chat.AsAIAgent(instructions: "Answer with a number.");
                    {|#0:while|} (true)
                    {
                        var response = await agent.RunAsync(question);
                        if (int.TryParse(response.Text, out var number))
                        {
                            return number;
                        }
                    }
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL3001").WithLocation(0).WithMessage(
                "This loop retries the model call after every failure with no attempt limit, deadline or cancellation: a persistent failure keeps billing requests; bound the attempts"));
    }

    [Fact]
    public async Task GamesOnTheUsersInputAndContinuationPolls_AreNotReported()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            class Game
            {
                // Each turn asks about the guess the user just typed; a right guess ends the game.
                public async Task GuessAsync(IChatClient chat, string animal)
                {
                    var judge = chat.AsAIAgent(instructions: "You judge a guessing game.");
                    while (true)
                    {
                        string? guess = Console.ReadLine();
                        string input = $"Is '{guess}' the animal '{animal}'?";
                        AgentResponse<bool> right = await judge.RunAsync<bool>(input);
                        if (right.Result)
                        {
                            break;
                        }
                    }
                }

                // A background response polled with its continuation token: each request asks for the rest.
                public async Task PollAsync(IChatClient chat, string question)
                {
                    var agent = chat.AsAIAgent();
                    AgentSession session = await agent.CreateSessionAsync();
                    var options = new AgentRunOptions { AllowBackgroundResponses = true };
                    AgentResponse response = await agent.RunAsync(question, session, options);
                    while (response.ContinuationToken is not null)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(2));
                        options.ContinuationToken = response.ContinuationToken;
                        response = await agent.RunAsync(session, options);
                    }

                    Console.WriteLine(response);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
