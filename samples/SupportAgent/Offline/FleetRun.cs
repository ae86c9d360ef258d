using System.Diagnostics;
using Microsoft.Extensions.AI;
using Npgsql;
using TokenLint.Postgres;
using TokenLint.Runtime;

namespace SupportAgent.Offline;

/// <summary>
/// `dotnet run -- --offline --fleet "Host=...;Database=...;Username=...;Password=..."`: starts several worker processes
/// that answer tickets on SIMULATED providers through one budget kept in PostgreSQL (TokenLint.Postgres), so the cap
/// holds for all of them together: a fleet of replicas cannot spend more than the one cap between them.
/// </summary>
internal static class FleetRun
{
    private const int Workers = 3;
    private const int TicketsPerWorker = 12;
    private const decimal FleetCap = 0.003m;

    /// <summary>How a worker gets the connection string: never on its command line, which every user of the machine can read.</summary>
    private const string ConnectionVariable = "SUPPORTAGENT_FLEET_DATABASE";

    public static async Task<int> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Each run files its accounts under a budget name of its own, so the demonstration starts from zero.
        var runStarted = DateTimeOffset.UtcNow;
        string budgetName = "support-agent-" + runStarted.ToString("yyyyMMddHHmmss");
        Console.WriteLine($"FLEET RUN: {Workers} worker processes, SIMULATED providers, one ${FleetCap} budget in PostgreSQL (budget '{budgetName}').");
        var workers = new List<Process>();
        for (int i = 1; i <= Workers; i++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            // `dotnet SupportAgent.dll` runs with dotnet as the process: pass the assembly again.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            {
                start.ArgumentList.Add(typeof(FleetRun).Assembly.Location);
            }

            foreach (string arg in new[] { "--fleet-worker", i.ToString(), budgetName })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment[ConnectionVariable] = connectionString;
            workers.Add(Process.Start(start)!);
        }

        foreach (var worker in workers)
        {
            await worker.WaitForExitAsync(cancellationToken);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var budget = FleetBudget(dataSource, budgetName);
        var total = budget.Accounts.Single();
        Console.WriteLine($"Fleet total: ${total.SpentDollars:0.000000} spent of the ${FleetCap} cap, ${total.ReservedDollars:0.000000} still reserved.");

        // The workers' ledgers flushed on exit: the fleet ledger holds every call of this run, whichever process made it.
        await using var ledger = FleetLedger(dataSource, worker: "lead");
        var metered = await ledger.TotalsAsync(since: runStarted, cancellationToken: cancellationToken);
        Console.WriteLine($"Fleet ledger: {metered.Calls} calls, ${metered.CostUsd:0.000000} metered by all workers.");
        return workers.All(w => w.ExitCode == 0) ? 0 : 1;
    }

    /// <summary>One worker: answers tickets until the fleet's budget refuses one.</summary>
    public static async Task<int> WorkerAsync(string worker, string budgetName, CancellationToken cancellationToken)
    {
        string connectionString = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{ConnectionVariable} is not set.");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var budget = FleetBudget(dataSource, budgetName);
        await PostgresSchemaMigrator.MigrateAsync(dataSource, cancellationToken: cancellationToken);
        // Every call goes to this process's ledger and to the fleet's (one database holds every worker's calls; disposing
        // it flushes the last batch).
        var ledger = new InMemoryTokenLedger();
        await using var fleetLedger = FleetLedger(dataSource, worker);
        using IChatClient client = new ChatClientBuilder(new SimulatedChatClient("gpt-4.1-mini"))
            .UseTokenBudget(budget)
            .UseTokenMetering(ledger, options => options.Sinks.Add(fleetLedger))
            .Build();

        int answered = 0;
        for (int i = 1; i <= TicketsPerWorker; i++)
        {
            using var scope = TokenScope.Begin(agent: "fleet-worker", session: $"worker-{worker}-ticket-{i}");
            try
            {
                await client.GetResponseAsync(
                    [new ChatMessage(ChatRole.System, "Answer the customer's question from the returns policy."), new ChatMessage(ChatRole.User, "How long do refunds take?")],
                    new ChatOptions { MaxOutputTokens = 1_000 },
                    cancellationToken);
                answered++;
            }
            catch (TokenBudgetExceededException e)
            {
                Console.WriteLine($"worker {worker}: ticket {i} refused before sending: {e.Message}");
                break;
            }
        }

        Console.WriteLine($"worker {worker}: {answered} tickets answered, ${ledger.Totals.CostUsd:0.000000} metered in this process");
        return 0;
    }

    /// <summary>The fleet ledger; records that cannot reach the database wait in a spill file of this process's own.</summary>
    private static PostgresTokenLedger FleetLedger(NpgsqlDataSource dataSource, string worker) =>
        new(dataSource, Path.Combine(Path.GetTempPath(), $"support-agent-ledger-{worker}-{Environment.ProcessId}.jsonl"));

    private static TokenBudget FleetBudget(NpgsqlDataSource dataSource, string budgetName) =>
        new TokenBudget(store: new PostgresBudgetStore(dataSource, new PostgresBudgetStoreOptions { BudgetName = budgetName }))
            .Limit(BudgetScope.Total, maxDollars: FleetCap);
}
