using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using TokenLint.Postgres;
using TokenLint.Runtime;

namespace TokenLint.PostgresBudgetBench;

/// <summary>
/// Times one reserve and its settle against one shared account (the worst case: every caller contends for the same
/// row), at 1 and at 64 concurrent callers, and prints p50 and p99 in microseconds. The connection string comes from
/// TOKENLINT_TEST_POSTGRES; each run uses a schema of its own and drops it.
/// </summary>
internal static class Program
{
    private const int CallsPerCaller1 = 2_000;
    private const int CallsTotal64 = 8_000;

    public static async Task<int> Main()
    {
        string connectionString = Environment.GetEnvironmentVariable("TOKENLINT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("TOKENLINT_TEST_POSTGRES is not set: run through eng/with-test-postgres.sh.");
        var names = new PostgresSchemaNames("bench_" + Guid.NewGuid().ToString("N")[..8]);
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 80 }.ConnectionString);
        var store = new PostgresBudgetStore(dataSource, new PostgresBudgetStoreOptions { Names = names, OperationTimeout = TimeSpan.FromSeconds(60) });
        await store.MigrateAsync();
        var budget = new TokenBudget(store: store).Limit(BudgetScope.Total, maxDollars: 1_000_000m);
        var charges = new[] { new BudgetCharge(budget.Limits[0], "") };
        var estimate = new BudgetAmount(1_100, 0.0088m);
        try
        {
            await RunAsync(store, charges, estimate, callers: 1, calls: 200); // warm-up: pool, plans
            Report(1, await RunAsync(store, charges, estimate, callers: 1, calls: CallsPerCaller1));
            Report(64, await RunAsync(store, charges, estimate, callers: 64, calls: CallsTotal64));
        }
        finally
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA {names.QuotedSchema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        return 0;
    }

    private static async Task<(List<double> Micros, double Seconds)> RunAsync(PostgresBudgetStore store, BudgetCharge[] charges, BudgetAmount estimate, int callers, int calls)
    {
        var micros = new List<double>(calls);
        int remaining = calls;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                long start = Stopwatch.GetTimestamp();
                var reservation = await store.ReserveAsync(charges, estimate, "gpt-4.1", CancellationToken.None);
                await store.SettleAsync(reservation, new BudgetAmount(1_000, 0.008m));
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            lock (micros)
            {
                micros.AddRange(mine);
            }
        })));
        return (micros, wall.Elapsed.TotalSeconds);
    }

    private static void Report(int callers, (List<double> Micros, double Seconds) run)
    {
        var sorted = run.Micros.OrderBy(x => x).ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{callers,3} callers: {sorted.Length} reserve+settle pairs, p50 {P(0.50) / 1000:0.00} ms, p99 {P(0.99) / 1000:0.00} ms, {sorted.Length / run.Seconds:0} pairs/s"));
    }
}
