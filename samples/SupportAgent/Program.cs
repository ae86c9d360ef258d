using Anthropic;
using SupportAgent.Offline;

namespace SupportAgent;

/// <summary>Triages one sample ticket end to end: sentiment, escalation, queue, knowledge base, order lookup, draft reply.</summary>
internal static class Program
{
    private const string SampleTicket =
        "Hi, I was charged twice for my annual plan renewal this morning and order A-1002 now says payment failed. " +
        "I've been a customer for six years and this is really frustrating. Can you refund the duplicate charge?";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "--fleet-worker")
        {
            using var worker = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            return await FleetRun.WorkerAsync(args[1], args[2], worker.Token);
        }

        int fleetAt = Array.IndexOf(args, "--fleet");
        if (args.Contains("--offline") && fleetAt >= 0 && fleetAt + 1 < args.Length)
        {
            // --fleet CONNECTION_STRING: several worker processes share one budget in PostgreSQL (TokenLint.Postgres).
            using var fleet = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            return await FleetRun.RunAsync(args[fleetAt + 1], fleet.Token);
        }

        if (args.Contains("--offline"))
        {
            using var offline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            // --ledger FILE also writes every metered call to a JSON Lines ledger that `tokenlint report FILE` reads.
            int ledgerAt = Array.IndexOf(args, "--ledger");
            string? ledgerPath = ledgerAt >= 0 && ledgerAt + 1 < args.Length ? args[ledgerAt + 1] : null;
            return await OfflineRun.RunAsync(ledgerPath, offline.Token);
        }

        string? openAIKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        string? anthropicKey = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");

        // Without both keys the sample explains itself and stops: it must never call an API it can't pay for.
        if (string.IsNullOrWhiteSpace(openAIKey) || string.IsNullOrWhiteSpace(anthropicKey))
        {
            Console.WriteLine("SupportAgent calls OpenAI and Anthropic, and needs an API key for each:");
            Console.WriteLine();
            Console.WriteLine("  export OPENAI_API_KEY=sk-...          # bash, zsh");
            Console.WriteLine("  export ANTHROPIC_API_KEY=sk-ant-...");
            Console.WriteLine();
            Console.WriteLine("  $env:OPENAI_API_KEY = \"sk-...\"       # PowerShell");
            Console.WriteLine("  $env:ANTHROPIC_API_KEY = \"sk-ant-...\"");
            Console.WriteLine();
            Console.WriteLine("Then run `dotnet run` again. Building alone needs no keys: TokenLint's warnings appear at build time.");
            Console.WriteLine("`dotnet run -- --offline` runs three tickets on simulated providers and prints TokenLint.Runtime's cost summary.");
            return 0;
        }

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        CancellationToken cancellationToken = cancellation.Token;

        // One Anthropic client, shared by the escalation check and the reply drafter: it holds the HTTP connection pool.
        var anthropic = new AnthropicClient { ApiKey = anthropicKey };

        var sentiment = new TicketSentimentClassifier(openAIKey);
        var escalation = new EscalationCheck(anthropic);
        using var router = new TicketRouter(openAIKey);
        var knowledgeBase = new KnowledgeBaseAssistant(openAIKey);
        var orders = new ToolLoopAgent(openAIKey);
        var drafter = new ReplyDrafter(anthropic);
        var billing = new BillingAssistant(openAIKey);
        var orderAssistant = new OrderAssistant(openAIKey);
        var policyAssistant = new PolicyAssistant(anthropic);
        var summarizer = new TicketSummarizer(openAIKey);
        var inventory = new InventoryAgent(openAIKey);
        var priority = new TicketPriorityClassifier(openAIKey);
        var weeklyDigest = new WeeklyDigest(openAIKey);

        Console.WriteLine($"Ticket: {SampleTicket}");
        Console.WriteLine();
        Console.WriteLine($"Sentiment:   {await sentiment.ClassifyAsync(SampleTicket, cancellationToken)}");
        Console.WriteLine($"Needs human: {await escalation.NeedsHumanAsync(SampleTicket, cancellationToken)}");
        Console.WriteLine($"Queue:       {await router.RouteAsync(SampleTicket, cancellationToken)}");

        string policy = await knowledgeBase.AnswerAsync("When is an annual plan refunded?", cancellationToken);
        string order = await orders.AnswerAsync("What is the status of order A-1002?", cancellationToken);
        Console.WriteLine($"Refund policy: {policy}");
        Console.WriteLine($"Order status:  {order}");
        Console.WriteLine($"Billing:       {await billing.AnswerAsync("Why was I charged twice this month?", cancellationToken)}");
        Console.WriteLine($"Parcel:        {await orderAssistant.AnswerAsync("Where is parcel 1Z999AA10123456784?", cancellationToken)}");
        Console.WriteLine($"Returns:       {await policyAssistant.AnswerAsync("Can I return used climbing shoes?", cancellationToken)}");
        Console.WriteLine($"Stock:         {await inventory.AnswerAsync("Do you have SKU TENT-2P in stock?", cancellationToken)}");
        Console.WriteLine($"Summary:       {await summarizer.SummarizeAsync(SampleTicket)}");
        Console.WriteLine($"Priority:      {(await priority.ClassifyAsync(SampleTicket, cancellationToken)).Priority}");
        Console.Write($"Digest:        {await weeklyDigest.BuildAsync([SampleTicket], cancellationToken)}");

        if (args.Contains("--chat"))
        {
            await new SupportChat(openAIKey).RunAsync(Console.In, Console.Out, cancellationToken);
        }
        Console.WriteLine();

        Console.WriteLine("Draft reply:");
        await foreach (string chunk in drafter.DraftAsync(SampleTicket, $"{policy}\n{order}", cancellationToken))
        {
            Console.Write(chunk);
        }

        Console.WriteLine();
        return 0;
    }
}
