using Microsoft.Extensions.AI;
using TokenLint.Runtime;

namespace SupportAgent.Offline;

/// <summary>
/// `dotnet run -- --offline`: three tickets through a metered, budgeted pipeline on SIMULATED providers, then the cost
/// summary per agent that TokenLint.Runtime's ledger gives. Needs no keys and calls no API.
/// </summary>
internal static class OfflineRun
{
    private static readonly string[] Tickets =
    [
        "I was charged twice for my annual plan renewal. Can you refund the duplicate charge?",
        "My tent arrived with a broken pole. Is that covered by the warranty?",
        "How long do returns take to be refunded once you receive the parcel?",
    ];

    public static async Task<int> RunAsync(string? ledgerPath, CancellationToken cancellationToken)
    {
        var ledger = new InMemoryTokenLedger();
        using var ledgerFile = ledgerPath is null ? null : new JsonLinesTokenLedger(ledgerPath);
        // Per-conversation and overall caps: a call that would pass one fails before it is sent.
        var budget = new TokenBudget()
            .Limit(BudgetScope.EachSession, maxDollars: 0.25m)
            .Limit(BudgetScope.Total, maxDollars: 2m);

        IChatClient Pipeline(IChatClient provider) => new ChatClientBuilder(provider)
            .UseLoopGuard()
            .UseTokenBudget(budget)
            .UseTokenMetering(ledger, options =>
            {
                if (ledgerFile is not null)
                {
                    options.Sinks.Add(ledgerFile);
                }
            })
            .Build();

        using IChatClient openAI = Pipeline(new SimulatedChatClient("gpt-4.1-mini"));
        using IChatClient anthropic = Pipeline(new SimulatedChatClient("claude-haiku-4-5"));
        var faq = new FaqAnswerer(openAI);

        Console.WriteLine("OFFLINE RUN: providers are SIMULATED (no API is called, nothing is billed); token counts are illustrative.");
        for (int i = 0; i < Tickets.Length; i++)
        {
            using var desk = TokenScope.Begin(agent: "support-desk", session: $"ticket-{i + 1}");
            string answer;
            using (TokenScope.Begin(agent: "faq"))
            {
                answer = await faq.AnswerAsync(Tickets[i], customerTier: "gold", cancellationToken);
            }

            using (TokenScope.Begin(agent: "reply-drafter"))
            {
                var draft = await anthropic.GetResponseAsync(
                    [
                        new ChatMessage(ChatRole.System, "Draft a short, friendly reply to the customer from the policy answer."),
                        new ChatMessage(ChatRole.User, $"{Tickets[i]}\n\nPolicy answer: {answer}"),
                    ],
                    new ChatOptions { MaxOutputTokens = 300 },
                    cancellationToken);
                Console.WriteLine($"ticket-{i + 1}: {draft.Text}");
            }
        }

        await AskTwiceInOtherWordsAsync(ledger, cancellationToken);
        PrintSummary(ledger);
        return 0;
    }

    /// <summary>The same question in other words: the second is served from the semantic cache, not billed.</summary>
    private static async Task AskTwiceInOtherWordsAsync(InMemoryTokenLedger ledger, CancellationToken cancellationToken)
    {
        using IChatClient cached = new ChatClientBuilder(new SimulatedChatClient("gpt-4.1-mini"))
            .UseSemanticCache(new KeywordEmbeddings(), o => o.PartitionKey = (_, _) => "outdoor-shop")
            .UseTokenMetering(ledger)
            .Build();

        Console.WriteLine();
        foreach (string question in new[]
        {
            "How long does a refund take after you receive my return?",
            "After you receive my return, how long does the refund take?",
        })
        {
            using var scope = TokenScope.Begin(agent: "faq-cache", session: "ticket-4");
            var response = await cached.GetResponseAsync(
                [new ChatMessage(ChatRole.System, "Answer from the returns policy in one sentence."), new ChatMessage(ChatRole.User, question)],
                cancellationToken: cancellationToken);
            bool hit = response.AdditionalProperties?.ContainsKey(SemanticCacheChatClient.HitKey) == true;
            Console.WriteLine($"{question} -> {(hit ? "served from the semantic cache" : "sent to the provider")}");
        }

        var statistics = cached.GetService<SemanticCacheStatistics>()!;
        Console.WriteLine($"Semantic cache: {statistics.Hits} hit, saved {statistics.InputTokensSaved + statistics.OutputTokensSaved} tokens, ${statistics.DollarsSaved:0.000000}");
    }

    private static void PrintSummary(InMemoryTokenLedger ledger)
    {
        Console.WriteLine();
        Console.WriteLine("Cost by agent (a nested agent's calls count for its caller too):");
        foreach (var agent in ledger.ByAgent())
        {
            Console.WriteLine($"  {agent.Key ?? "(none)",-14} {agent.Calls,3} calls  {agent.Tokens.TotalInputTokens,6} in ({agent.Tokens.CacheReadTokens} cached, {agent.Tokens.CacheWriteTokens} written)  {agent.Tokens.OutputTokens,5} out  ${agent.CostUsd:0.000000}");
        }

        Console.WriteLine("Cost by model:");
        foreach (var model in ledger.ByModel())
        {
            Console.WriteLine($"  {model.Key,-18} {model.Calls,3} calls  ${model.CostUsd:0.000000}");
        }

        var sessions = ledger.SessionCosts();
        var total = ledger.Totals;
        Console.WriteLine($"Total: {total.Calls} calls, {total.Tokens.TotalTokens} tokens, ${total.CostUsd:0.000000}; per ticket p50 ${sessions.P50:0.000000}, max ${sessions.Max:0.000000}");
    }
}
