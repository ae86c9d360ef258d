using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Npgsql;
using TokenLint.Runtime;

namespace TokenLint.Postgres.TestWorker;

/// <summary>
/// <c>spend SCHEMA CAP_DOLLARS TASKS</c>: calls through a shared dollar cap from TASKS tasks until each is refused, then
/// prints <c>calls=N</c>. <c>hold SCHEMA CAP_DOLLARS LEASE_MS</c>: makes one call that never ends (prints <c>in-call</c>).
/// The connection string comes from TOKENLINT_TEST_POSTGRES, never the command line, which other users can read.
/// </summary>
internal static class Program
{
    /// <summary>What each call reports: 5 input and 900 output tokens of gpt-4.1, under the 1,000 output tokens it reserves.</summary>
    public static UsageDetails Usage => new() { InputTokenCount = 5, OutputTokenCount = 900 };

    /// <summary>How long one budget operation may wait when every task of every worker contends for one row.</summary>
    private static readonly TimeSpan ContendedTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Far more than any test's cap admits.</summary>
    private const int MaxCallsPerTask = 50;

    public static async Task<int> Main(string[] args)
    {
        string connectionString = Environment.GetEnvironmentVariable("TOKENLINT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("TOKENLINT_TEST_POSTGRES is not set.");
        string mode = args[0];
        var names = new PostgresSchemaNames(args[1]);
        decimal cap = decimal.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        if (mode == "hold")
        {
            var lease = TimeSpan.FromMilliseconds(int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
            var store = new PostgresBudgetStore(dataSource, new PostgresBudgetStoreOptions { Names = names, Lease = lease });
            var client = Budgeted(new StubProvider(Usage, hang: true), store, cap);
            await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 1_000 });
            return 0;
        }

        int tasks = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        // The test is about the cap, not the timeout: sixty-four callers on one row of a busy CI machine can wait
        // longer than the 5 s default for their turn, which failed a run with BudgetStoreUnavailableException.
        var shared = new PostgresBudgetStore(dataSource, new PostgresBudgetStoreOptions { Names = names, OperationTimeout = ContendedTimeout });
        var budgeted = Budgeted(new StubProvider(Usage), shared, cap);
        long calls = 0;
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(async () =>
        {
            // Bounded: a cap that does not hold ends the run with too many calls rather than never.
            for (int call = 0; call < MaxCallsPerTask; call++)
            {
                try
                {
                    await budgeted.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 1_000 });
                    Interlocked.Increment(ref calls);
                }
                catch (TokenBudgetExceededException)
                {
                    return;
                }
            }
        })));
        Console.WriteLine($"calls={calls}");
        return 0;
    }

    private static IChatClient Budgeted(IChatClient provider, PostgresBudgetStore store, decimal cap) =>
        new ChatClientBuilder(provider).UseTokenBudget(new TokenBudget(store: store).Limit(BudgetScope.Total, maxDollars: cap)).Build();
}
